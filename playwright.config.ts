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
 * The flows the second engine runs: the launcher, joining and chat, the telemetry gate and the
 * privacy promise (no request when off). The rest stays on Chromium alone, for time (on a 2-core
 * machine the Firefox project adds a few minutes, not another whole suite) or because it drives
 * what only Chromium has (command-line switches such as --host-resolver-rules, the fake media UI's
 * deny mode, --webrtc-ip-handling-policy). The call flows measure sound through Web Audio, and
 * headless Firefox without a sound device never starts an AudioContext (it stays `suspended`): a
 * call on Firefox is test/e2e/media-cross-browser.spec.ts (Chromium to Firefox), see docs/qa.md.
 */
const FIREFOX_SPECS = [
  'launcher-desktop.spec.ts',
  'launcher-options.spec.ts',
  'shell-chat.spec.ts',
  'telemetry-gate.spec.ts',
  'telemetry-off.spec.ts',
];
/**
 * Flows of those files that stay on Chromium, for time: what they add is the same page machinery
 * under more people (the main chat flow runs on Firefox).
 */
const FIREFOX_LEAVES_OUT = [
  /a guest who leaves disappears from the others’ roster/,
  /the organizer key never reaches a guest/,
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
