/** Helpers for the meetings-shell flows: organizer links from the admin CLI, joining, chatting. */
import type { BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { test as base, expect as baseExpect, openMeeting, type PoolServer } from './fixtures';

/** Several browsers on a shared 2-core machine: give each expectation more time than the default. */
export const expect = baseExpect.configure({ timeout: 15_000 });

export const ALICE = '/alice/7Q3DSSYV';
export const KENMYER = '/kenmyer/071200';

/** The organizer link of a meeting as `npm run admin -- meetings --json` prints it, on this server. */
export async function organizerLink(pool: PoolServer, meetingPath: string): Promise<string> {
  const result = await pool.admin('meetings', '--json');
  expect(result.code, result.stderr).toBe(0);
  const { meetings } = JSON.parse(result.stdout) as { meetings: { guestLink: string; organizerLink: string }[] };
  const meeting = meetings.find((m) => new URL(m.guestLink).pathname === meetingPath);
  if (!meeting) throw new Error(`no meeting ${meetingPath}`);
  const link = new URL(meeting.organizerLink);
  return pool.url(`${link.pathname}${link.hash}`);
}

/** Opens the link in a new browser context and goes through the prejoin with the name. */
async function joinIn(
  newContext: () => Promise<BrowserContext>,
  url: string,
  name: string,
  options: { clock?: boolean } = {},
): Promise<Page> {
  const context = await newContext();
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  await openMeeting(page, url);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
  return page;
}

export interface People {
  /**
   * A new person (browser context) who opens the link and joins with the name. `clock: true`
   * installs Playwright's clock first, so the flow can move the page's timers with `page.clock`.
   */
  join(url: string, name: string, options?: { clock?: boolean }): Promise<Page>;
  /** A new person's blank page, for flows that drive the prejoin themselves. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * The fixtures' `test` plus `people`: every extra browser context of a test, closed when the test
 * ends (before its server stops, so no page keeps reconnecting to a server that is closing).
 */
export const test = base.extend<{ people: People }>({
  people: async ({ browser, pool, launchGuard }, use) => {
    void pool;
    const contexts: BrowserContext[] = [];
    const newContext = async (options?: BrowserContextOptions) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      await launchGuard.watch(context);
      return context;
    };
    await use({
      join: (url, name, options) => joinIn(newContext, url, name, options),
      async newPage(options) {
        return (await newContext(options)).newPage();
      },
    });
    for (const context of contexts) await context.close();
  },
});

export async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('chat-input')).toHaveValue('');
}

/** The chat as the page shows it: sender and text of each message, in order. */
export async function chatLog(page: Page): Promise<string[]> {
  return page
    .getByTestId('chat-message')
    .evaluateAll((items) =>
      items.map((li) => `${li.querySelector('.who')?.textContent}: ${li.querySelector('.text')?.textContent}`),
    );
}

export async function rosterNames(page: Page): Promise<string[]> {
  return page.getByTestId('roster-entry').locator('.name').allTextContents();
}
