/** Helpers for the meetings-shell flows: organizer links from the admin CLI, joining, chatting. */
import type { Browser, Page } from '@playwright/test';
import { expect, openMeeting, type PoolServer } from './fixtures';

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
export async function joinIn(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openMeeting(page, url);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
  return page;
}

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
