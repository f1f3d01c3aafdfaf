import { defineConfig } from '@playwright/test';
import {
  CHROMIUM_ARGS,
  FIREFOX_PREFS,
  findChromium,
  findFirefox,
  NO_BROWSER_HELP,
  NO_FIREFOX_HELP,
} from './test/e2e/browser';

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_BROWSER_HELP);
  process.exit(1);
}
const firefoxPath = findFirefox();
if (!firefoxPath) {
  console.error(NO_FIREFOX_HELP);
  process.exit(1);
}

/**
 * The flows the second engine runs, the ones issue 24 names: the launcher (`launcher-*`), joining
 * and chat (`shell-chat`'s main flow), the telemetry gate, media (the prejoin's own chunk, every
 * track stopping, and one call of two) and one call between Chromium and Firefox. The rest stays on
 * Chromium alone, for time (on a 2-core machine the Firefox project must stay a few minutes, not a
 * second suite) or because it drives what only Chromium has (command-line switches such as
 * --host-resolver-rules, the fake media UI's deny mode, --webrtc-ip-handling-policy).
 */
const FIREFOX_SPECS = [
  'launcher-desktop.spec.ts',
  'launcher-options.spec.ts',
  'shell-chat.spec.ts',
  'telemetry-gate.spec.ts',
  'media-call.spec.ts',
  'media-prejoin.spec.ts',
  'media-cross-browser.spec.ts',
];
/**
 * Flows of those files that stay on Chromium. For time: a second guest leaving, the organizer key,
 * three guests, mute and camera, the dropped network and the lobby repeat the page machinery the
 * Firefox flows already drive. For headless Firefox: the prejoin's level meter is the page's Web
 * Audio, whose AudioContext never starts there without a sound device; a denied permission is
 * Chromium's fake-UI switch.
 */
const FIREFOX_LEAVES_OUT = [
  /a guest who leaves disappears from the others’ roster/,
  /the organizer key never reaches a guest/,
  /three guests: each sees and hears the two others/,
  /mute stops the sound the others receive/,
  /a dropped network: the page reconnects by itself/,
  /the prejoin previews the camera, the meter moves/,
  /a denied permission says what happened/,
  /in the lobby the guest still sees their camera/,
];

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  forbidOnly: !!process.env.CI,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // A deadline, not a speed check (speed lives in the bench): a flow with three people, video and
  // axe runs takes 30 s alone and over 2 minutes beside another such flow on a 2-core machine (load
  // average 20+). One deadline for every flow; only the few that walk many screens ask for more.
  timeout: 240_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      // The call between the engines runs once, in the firefox project (it launches the Chromium).
      testIgnore: '**/media-cross-browser.spec.ts',
      use: { browserName: 'chromium', launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
    {
      // Debian's Firefox ESR over WebDriver BiDi (the `moz-firefox` channel: a stock Firefox, not
      // Playwright's patched build). @playwright/test stays at 1.64.x for it, see test/e2e/browser.ts.
      name: 'firefox',
      testMatch: FIREFOX_SPECS.map((spec) => `**/${spec}`),
      grepInvert: FIREFOX_LEAVES_OUT,
      use: {
        browserName: 'firefox',
        channel: 'moz-firefox',
        launchOptions: { executablePath: firefoxPath, firefoxUserPrefs: FIREFOX_PREFS },
      },
    },
  ],
});
