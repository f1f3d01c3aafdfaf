/**
 * 500+ generated meeting links (unicode, encoded slashes and nulls, script, very long, odd case,
 * hostile query strings and fragments): each ends on the meeting or on the error screen, at the
 * same address (the page never navigates to a URL it took from the link), with no script run,
 * no crash, no uncaught error and no CSP violation. One page, reused, with the worker active.
 */

import type { Page } from '@playwright/test';
import { parseMeetingPath } from '../../src/shared/meeting-url';
import { encodeAny, pick, type Random, seeded } from '../unit/fuzz-gen';
import { expect, type PoolServer, startPoolServer, test } from './fixtures';
import { watchForAlarms } from './security-helpers';
import { waitForWorkerControl } from './sw-helpers';

const LINKS = 500;
const KNOWN = new Set(['alice/7Q3DSSYV', 'kenmyer/071200']);

const SEGMENTS = [
  'alice',
  'ALICE',
  'aLiCe',
  '7Q3DSSYV',
  '7q3dssyv',
  'kenmyer',
  '071200',
  'contoso.com',
  'nobody',
  'ABCDEF12',
  '%2F',
  '%00',
  '%2e%2e',
  '..',
  '.',
  '%5C',
  '%252F',
  '%E2%80%AE',
  encodeURIComponent('<script>alert(1)</script>'),
  encodeURIComponent('"><img src=x onerror=alert(1)>'),
  encodeURIComponent("<img src=x onerror=fetch('/pwned')>"),
  'javascript:alert(1)',
  encodeURIComponent('名前'),
  encodeURIComponent('🎉'),
  encodeAny('\ud800'),
  'a'.repeat(70),
  '7'.repeat(33),
  '',
];

const QUERIES = [
  '',
  '',
  '?sl=1',
  '?sl=1&url=javascript:alert(1)',
  '?redirect=https://evil.example/',
  '?next=//evil.example',
  `?q=${encodeURIComponent('<script>alert(1)</script>')}`,
  '#javascript:alert(1)',
  '#organizerKey=<script>alert(1)</script>',
  '?%00=%00',
];

/** Real meetings in the spellings people send: odd case, tenant form, trailing slash. */
const MEETING_LINKS = [
  '/alice/7Q3DSSYV',
  '/ALICE/7q3dssyv',
  '/contoso.com/alice/7Q3DSSYV',
  '/kenmyer/071200/',
  '/KenMyer/071200',
];

function generateLink(random: Random): string {
  const roll = random();
  if (roll > 0.9) return `${pick(random, MEETING_LINKS)}${pick(random, QUERIES)}`;
  if (roll < 0.05) return `/${'a'.repeat(300 + Math.floor(random() * 3000))}/7Q3DSSYV`;
  const count = 1 + Math.floor(random() * 4);
  const segments = Array.from({ length: count }, () => pick(random, SEGMENTS));
  // Mix characters inside a segment too, so the generator reaches past the list.
  if (random() < 0.3) {
    const i = Math.floor(random() * segments.length);
    segments[i] = `${segments[i]}${pick(random, SEGMENTS)}`;
  }
  return `/${segments.join('/')}${pick(random, QUERIES)}`;
}

async function visit(tab: Page, link: string, outcomes: { meeting: number; error: number }): Promise<void> {
  const url = server.url(link);
  const expected = new URL(url);
  const parsed = parseMeetingPath(expected.pathname);
  const known =
    parsed.ok && KNOWN.has(`${parsed.meeting.organizer.toLowerCase()}/${parsed.meeting.conferenceId.toUpperCase()}`);
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

test(`${LINKS} generated meeting links each end on the meeting or the error screen`, async ({ page, context }) => {
  // About 0.1 s a link on an idle machine; generous for a loaded CI box.
  test.setTimeout(1_200_000);
  const alarms = await watchForAlarms(context);
  await page.goto(server.url('/alice/7Q3DSSYV'));
  await waitForWorkerControl(page);

  const random = seeded(2026);
  const links = Array.from({ length: LINKS }, () => generateLink(random));
  const outcomes = { meeting: 0, error: 0 };
  for (const link of links) await visit(page, link, outcomes);

  expect(outcomes.meeting, 'some links were valid meetings').toBeGreaterThan(25);
  expect(outcomes.error, 'most links were not').toBeGreaterThan(300);
  expect(alarms.dialogs).toEqual([]);
  expect(alarms.crashes).toBe(0);
  expect(alarms.pageErrors).toEqual([]);
  expect(alarms.violations).toEqual([]);
  expect(server.received.filter((r) => r.url.includes('pwned'))).toEqual([]);
  expect(server.received.filter((r) => r.status >= 500)).toEqual([]);
});
