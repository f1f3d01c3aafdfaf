/**
 * Finds a Chromium: Playwright's own build if installed, else CHROME_PATH, else /usr/bin/chromium.
 * Used by the Playwright config, the bench and Lighthouse, so all drive the same browser. And a
 * Firefox for the suite's second engine (the `firefox` project and the Chromium-to-Firefox call):
 * Debian's own Firefox ESR, driven over WebDriver BiDi.
 */
import fs from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

export function findChromium(): string | undefined {
  const candidates = [safe(() => chromium.executablePath()), process.env.CHROME_PATH, '/usr/bin/chromium'];
  return candidates.find((file): file is string => !!file && fs.existsSync(file));
}

function safe(get: () => string): string | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

export const NO_BROWSER_HELP = `No Chromium found. Install one of:
  - Debian/Ubuntu: apt-get update && apt-get install -y chromium   (then /usr/bin/chromium is used)
  - Playwright's own build: npx playwright install chromium
  - any Chrome or Chromium: export CHROME_PATH=/path/to/chrome`;

/**
 * Flags for a quiet headless Chromium; the *.test demo hosts resolve to this machine. Media: a fake
 * camera (a moving test pattern) and microphone (a beep), and the permission prompt answered yes
 * (a flow that needs "no" denies it per origin, see test/e2e/media-helpers.ts).
 */
export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

/**
 * A stock Firefox (not Playwright's patched build: the suite drives the one people install, over
 * WebDriver BiDi): FIREFOX_PATH, else Debian's Firefox ESR, else a `firefox` in /usr/bin.
 *
 * @playwright/test is pinned to 1.64.1 for it: 1.65 sends Firefox ESR 153 a BiDi command that
 * release lacks (`emulation.setMediaFeaturesOverride`) on every new context, so every flow fails
 * before its first page; 1.62 to 1.64 drive it fully, WebRTC included.
 */
export function findFirefox(): string | undefined {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((file): file is string => !!file && fs.existsSync(file));
}

export const NO_FIREFOX_HELP = `No Firefox found (the suite runs its flows on Firefox too). Install one of:
  - Debian/Ubuntu: apt-get update && apt-get install -y firefox-esr   (then /usr/bin/firefox-esr is used)
  - any stock Firefox 153 ESR or later: export FIREFOX_PATH=/path/to/firefox
  Playwright's own patched Firefox (npx playwright install firefox) is not what the suite drives.`;

/**
 * Firefox's counterpart of CHROMIUM_ARGS, as profile preferences: a fake camera (a test pattern)
 * and microphone (a tone), no permission prompt (answered yes), sound allowed to start on its own,
 * and every host name resolving to
 * this machine (Firefox has no per-domain rule like Chromium's: the *.test demo hosts need it, and
 * the suite reaches no other host; routes stand in for outside ones).
 */
export const FIREFOX_PREFS: Record<string, string | number | boolean> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // The fake camera at 320x240, 15 frames a second (Firefox's default is 640x480 at 30): a call of
  // three Firefox pages encodes and decodes six streams, and on a shared 2-core machine the full
  // size starved the other worker's flows. What the flows check (frames keep coming) is the same.
  'media.navigator.video.default_width': 320,
  'media.navigator.video.default_height': 240,
  'media.navigator.video.default_fps': 15,
  // Sound may start without a click first, as Chromium lets it under automation (a tile's <video>
  // carries the other person's sound). Web Audio still reads silence in headless Firefox without
  // a sound device: its AudioContext never leaves `suspended` (see media-cross-browser.spec.ts).
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  'network.dns.forceResolve': '127.0.0.1',
};

/** How a flow that starts its own browser launches either engine, as the config's projects do. */
export function launchOptionsFor(engine: 'chromium' | 'firefox'): LaunchOptions {
  if (engine === 'chromium') return { executablePath: findChromium(), args: CHROMIUM_ARGS };
  return { executablePath: findFirefox(), channel: 'moz-firefox', firefoxUserPrefs: FIREFOX_PREFS };
}
