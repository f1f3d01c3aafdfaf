/**
 * Hostile and generated meeting links (unicode, encoded slashes and nulls, script, very long, odd
 * case, hostile query strings and fragments): each ends on the meeting or on the error screen, at the
 * same address (the page never navigates to a URL it took from the link), with no script run,
 * no crash, no uncaught error and no CSP violation. One page, reused, with the worker active.
 */

import type { Page } from '@playwright/test';
import { parseMeetingPath } from '../../src/shared/meeting-url';
import { seeded } from '../support/fuzz-gen';
import { generateLink, MEETING_LINKS } from '../support/link-gen';
import { expect, type PoolServer, startPoolServer, test } from './fixtures';
import { watchForAlarms } from './security-helpers';
import { waitForWorkerControl } from './sw-helpers';

const KNOWN = new Set(['alice/7Q3DSSYV', 'kenmyer/071200']);

/**
 * The browser's part of the link fuzz: thousands of generated links go through the parser and the
 * server in test/integration/meeting-url-fuzz.test.ts; here a handful of the nastiest, the real meetings
 * in odd spellings, and a few generated ones, in a real page with the worker active.
 */
const HOSTILE_LINKS = [
  `/alice/${encodeURIComponent('<script>alert(1)</script>')}`,
  `/${encodeURIComponent('"><img src=x onerror=alert(1)>')}/7Q3DSSYV`,
  `/javascript:alert(1)/${encodeURIComponent("<img src=x onerror=fetch('/pwned')>")}`,
  '/alice/%2F..%2F..%2Fetc',
  '/alice/7Q3DSSYV%00',
  '/%E2%80%AEalice/7Q3DSSYV',
  '/alice/%ED%A0%80',
  `/${'a'.repeat(3000)}/7Q3DSSYV`,
  '/Meet/alice',
  '/nobody/ABCDEF12?redirect=https://evil.example/',
  '/alice/7Q3DSSYV?sl=1&url=javascript:alert(1)',
  '/alice/7Q3DSSYV#organizerKey=<script>alert(1)</script>',
  '/fabrikam.com/Meet/alice/7Q3DSSYV',
];
const GENERATED = 12;

async function visit(tab: Page, link: string, outcomes: { meeting: number; error: number }): Promise<void> {
  const url = server.url(link);
  const expected = new URL(url);
  const parsed = parseMeetingPath(expected.pathname);
  // Both known meetings are contoso.com's: a link naming another domain does not lead to them.
  const known =
    parsed.ok &&
    KNOWN.has(`${parsed.meeting.organizer.toLowerCase()}/${parsed.meeting.conferenceId.toUpperCase()}`) &&
    (parsed.meeting.domain ?? 'contoso.com') === 'contoso.com';
  await tab.goto(url, { waitUntil: 'commit' });
  // One round trip per link: wait in the page until it has settled on a screen, then read it.
  const settled = await tab.waitForFunction(
    () => {
      const screen = document.querySelector('[data-testid="launcher"], [data-testid="error"]');
      if (!screen) return undefined;
      return {
        screen: screen.getAttribute('data-testid'),
        code: screen.getAttribute('data-error-code'),
        alert: document.querySelector('[role="alert"]')?.textContent ?? '',
        href: location.href,
      };
    },
    undefined,
    { polling: 20 },
  );
  const state = (await settled.jsonValue()) as { screen: string; code: string | null; alert: string; href: string };
  if (known) {
    expect(state.screen, link).toBe('launcher');
    outcomes.meeting++;
  } else {
    expect(state.screen, link).toBe('error');
    expect(state.code, link).toMatch(/^(invalid-link|meeting-not-found)$/);
    expect(state.alert.length, link).toBeGreaterThan(10);
    outcomes.error++;
  }
  // The page stayed where the link put it: it never navigates to a URL from the link or query.
  expect(new URL(state.href).pathname, link).toBe(expected.pathname);
  expect(new URL(state.href).origin, link).toBe(expected.origin);
}

let server: PoolServer;
test.beforeAll(async () => {
  server = await startPoolServer({ rateLimitPerMinute: 100_000, desktopAppLaunch: false });
});
test.afterAll(async () => server.stop());

test('hostile and generated meeting links each end on the meeting or the error screen', async ({ page, context }) => {
  const alarms = await watchForAlarms(context);
  await page.goto(server.url('/alice/7Q3DSSYV'));
  await waitForWorkerControl(page);

  const random = seeded(2026);
  const links = [...HOSTILE_LINKS, ...MEETING_LINKS, ...Array.from({ length: GENERATED }, () => generateLink(random))];
  const outcomes = { meeting: 0, error: 0 };
  for (const link of links) await visit(page, link, outcomes);

  expect(outcomes.meeting, 'the real meetings opened').toBeGreaterThanOrEqual(MEETING_LINKS.length + 2);
  expect(outcomes.error, 'the hostile links did not').toBeGreaterThanOrEqual(HOSTILE_LINKS.length - 2);
  expect(alarms.dialogs).toEqual([]);
  expect(alarms.crashes).toBe(0);
  expect(alarms.pageErrors).toEqual([]);
  expect(alarms.violations).toEqual([]);
  expect(server.received.filter((r) => r.url.includes('pwned'))).toEqual([]);
  expect(server.received.filter((r) => r.status >= 500)).toEqual([]);
});
