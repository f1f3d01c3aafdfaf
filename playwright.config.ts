import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER_HELP } from './test/e2e/browser';

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_BROWSER_HELP);
  process.exit(1);
}

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
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
});
