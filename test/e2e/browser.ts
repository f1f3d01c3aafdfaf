/**
 * Finds a Chromium: Playwright's own build if installed, else CHROME_PATH, else /usr/bin/chromium.
 * Used by the Playwright config, the bench and Lighthouse, so all drive the same browser.
 */
import fs from 'node:fs';
import { chromium } from '@playwright/test';

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
