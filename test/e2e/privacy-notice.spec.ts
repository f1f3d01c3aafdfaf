/**
 * The attendees' privacy notice: `privacy-link` on the launcher and the prejoin opens
 * `privacy-notice`, which says what this page sends under the pool's config as the page has it.
 * In every language (axe clean, keyboard, RTL, a phone); with the flag on, its lists hold every event
 * type and field the page really sent in the same flow; with the flag off, opening it sends nothing,
 * stores nothing and loads no telemetry code.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { CATALOG_LOADERS } from '../../src/client/i18n/catalogs';
import { NOTICE_CATALOG_LOADERS } from '../../src/client/i18n/notice/catalogs';
import { notice as englishNotice } from '../../src/client/i18n/notice/notice-en-US';
import { SUPPORTED_LOCALES } from '../../src/shared/config-page';
import { categoryOfEventType, collectedCategories, fieldsInEvent } from '../../src/shared/telemetry-collected';
import { withoutFirstScreenData } from './boot-helpers';
import {
  isTelemetryChunk,
  isTelemetryRequest,
  type LoggedRequest,
  openMeeting,
  storageSnapshot,
  telemetryChunkPaths,
} from './fixtures';
import { ALICE, expect, say, test } from './shell-helpers';
import { rereadConfig, sentBatches, setTelemetry, telemetryStorage } from './telemetry-helpers';

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  // AxeBuilder ends in a blank page of its own; the flow's page is in front again (see media-a11y).
  await page.bringToFront();
  expect(violations.map((v) => `${screen}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual(
    [],
  );
}

/** Opens the notice from its link and waits until it shows. */
async function openNotice(page: Page): Promise<Locator> {
  await page.getByTestId('privacy-link').click();
  const notice = page.getByTestId('privacy-notice');
  await expect(notice).toBeVisible();
  return notice;
}

/** A notice is not a control: nothing in it can be ticked, switched, chosen or typed into. */
async function expectNoControls(notice: Locator): Promise<void> {
  await expect(
    notice.locator('input, select, textarea, [role="switch"], [role="checkbox"], [role="radio"], [contenteditable]'),
  ).toHaveCount(0);
  await expect(notice.locator('a[href]')).toHaveCount(0);
  // The one button closes it.
  await expect(notice.getByRole('button')).toHaveCount(1);
  await expect(notice.getByRole('button')).toHaveAttribute('data-testid', 'privacy-close');
}

/** What the open notice lists: per category, its event types and fields, as the DOM says. */
async function listed(notice: Locator): Promise<{ category: string; eventTypes: string[]; fields: string[] }[]> {
  return notice.getByTestId('privacy-category').evaluateAll((sections) =>
    sections.map((section) => ({
      category: section.getAttribute('data-category') ?? '',
      eventTypes: (section.getAttribute('data-event-types') ?? '').split(' '),
      fields: [...section.querySelectorAll('[data-field]')].map((field) => field.getAttribute('data-field') ?? ''),
    })),
  );
}

const schemaList = () =>
  collectedCategories().map(({ category, eventTypes, fields }) => ({
    category,
    eventTypes,
    fields: fields.map((field) => field.name),
  }));

/** Requests a page (not the service worker's precache) made after the first `from` of the log. */
const pageRequestsSince = (requests: LoggedRequest[], from: number) =>
  requests.slice(from).filter((r) => !r.byServiceWorker);

const assetName = (r: LoggedRequest) => new URL(r.url).pathname.replace(/^\/assets\/|-[\w-]{8}\.(?:js|css)$/g, '');

for (const lang of SUPPORTED_LOCALES) {
  test(`the notice in ${lang}: its words, off then on, axe clean, ${lang === 'ar-SA' ? 'right to left' : 'left to right'}`, async ({
    page,
    pool,
  }) => {
    const { messages } = await CATALOG_LOADERS[lang]();
    const { notice: words } = await NOTICE_CATALOG_LOADERS[lang]();
    const word = (key: string) => (words as Record<string, string>)[key] ?? `(no words for ${key})`;
    await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=${lang}`));
    await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar-SA' ? 'rtl' : 'ltr');
    await expect(page.getByTestId('privacy-link')).toHaveText(messages.privacyLink);

    const off = await openNotice(page);
    await expect(off).toHaveAttribute('data-telemetry', 'off');
    await expect(page.getByRole('dialog', { name: words.title })).toBeVisible();
    await expect(off).toContainText(words.off);
    await expect(off.getByTestId('privacy-category')).toHaveCount(0);
    await expectNoControls(off);
    expect(await off.evaluate((element) => getComputedStyle(element).direction)).toBe(lang === 'ar-SA' ? 'rtl' : 'ltr');
    await expectNoAxeViolations(page, `${lang} notice, off`);
    await page.keyboard.press('Escape');
    await expect(off).toHaveCount(0);

    // The admin turns telemetry on; the open page learns it when it becomes visible again.
    await setTelemetry(pool, true);
    await rereadConfig(page);
    const on = await openNotice(page);
    await expect(on).toHaveAttribute('data-telemetry', 'on');
    await expect(on).toContainText(words.on);
    expect(await listed(on)).toEqual(schemaList());
    for (const { category, fields } of collectedCategories()) {
      const section = on.locator(`[data-testid="privacy-category"][data-category="${category}"]`);
      await expect(section.getByRole('heading', { level: 3 })).toHaveText(word(`category.${category}`));
      for (const field of fields) {
        const item = section.locator(`[data-field="${field.name}"]`);
        await expect(item).toContainText(word(`field.${category}.${field.name}`));
        await expect(item).toContainText(word(`treatment.${field.treatment}`));
      }
    }
    await expectNoControls(on);
    await expectNoAxeViolations(page, `${lang} notice, on`);
    await on.getByTestId('privacy-close').click();
    await expect(on).toHaveCount(0);
    await expect(page.getByTestId('privacy-link')).toBeFocused();
  });
}

test('keyboard only: Tab to the link, Enter opens, focus stays inside, Escape closes and returns to the link', async ({
  page,
  pool,
}) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.getByTestId('privacy-link').evaluate((link) => link === document.activeElement);
  }
  expect(reached, 'privacy-link reachable with Tab').toBe(true);
  await page.keyboard.press('Enter');
  const notice = page.getByTestId('privacy-notice');
  await expect(notice).toBeVisible();
  await expect(notice.getByTestId('privacy-close')).toBeFocused();
  // Modal: Tab does not leave the notice for the page behind it.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect(
      await notice.evaluate(
        (dialog) => dialog.contains(document.activeElement) || document.activeElement === document.body,
      ),
    ).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('privacy-link')).toBeFocused();
  // Again, closed with its button this time.
  await page.keyboard.press('Enter');
  await expect(notice.getByTestId('privacy-close')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('privacy-link')).toBeFocused();
});

/** The notice on a 390 x 844 phone: centred, no sideways scrolling, its long list scrolls inside it. */
async function expectFitsThePhone(page: Page, screen: string): Promise<void> {
  const notice = await openNotice(page);
  await expect(notice).toHaveAttribute('data-telemetry', 'on');
  const box = await notice.boundingBox();
  if (!box) throw new Error('the notice has no box');
  const [left, right, top, bottom] = [box.x, 390 - box.x - box.width, box.y, 844 - box.y - box.height];
  expect(Math.min(left, right, top, bottom), `${screen}: inside the screen`).toBeGreaterThanOrEqual(0);
  expect(Math.abs(left - right), `${screen}: centred`).toBeLessThanOrEqual(1);
  const sizes = await notice.evaluate((dialog) => ({
    scrollWidth: dialog.scrollWidth,
    clientWidth: dialog.clientWidth,
    scrollHeight: dialog.scrollHeight,
    clientHeight: dialog.clientHeight,
  }));
  expect(sizes.scrollWidth, `${screen}: no sideways scrolling`).toBeLessThanOrEqual(sizes.clientWidth);
  expect(sizes.scrollHeight, `${screen}: the long list scrolls inside the notice`).toBeGreaterThan(sizes.clientHeight);
  // The close button's word is on one line (a 44 px target), and stays in view down to the last field.
  const close = notice.getByTestId('privacy-close');
  expect((await close.boundingBox())?.height, `${screen}: close button height`).toBeLessThanOrEqual(48);
  const last = notice.locator('[data-field]').last();
  await last.scrollIntoViewIfNeeded();
  await expect(last).toBeInViewport();
  await expect(close).toBeInViewport();
  await expectNoAxeViolations(page, `${screen}, notice on a phone`);
  await close.click();
  await expect(notice).toHaveCount(0);
}

test.describe('on a phone (390 x 844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  for (const lang of ['ar-SA', 'de-DE']) {
    test(`${lang}: the notice fits, scrolls within the screen and passes axe, on the launcher and the prejoin`, async ({
      page,
      pool,
    }) => {
      await setTelemetry(pool, true);
      await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=${lang}`));
      await expectFitsThePhone(page, `${lang} launcher`);
      await page.getByTestId('join-web').click();
      await expect(page.getByTestId('display-name')).toBeVisible();
      await expectFitsThePhone(page, `${lang} prejoin`);
    });
  }
});

test('flag on: every event type and field the page sent in a real meeting is in the notice', async ({
  page,
  pool,
  requests,
}) => {
  await setTelemetry(pool, true);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toBeVisible();
  // On the prejoin too, with the same lists.
  const onPrejoin = await openNotice(page);
  await expect(onPrejoin).toHaveAttribute('data-telemetry', 'on');
  expect(await listed(onPrejoin)).toEqual(schemaList());
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('privacy-link')).toBeFocused();

  await page.getByTestId('display-name').fill('Notice Guest');
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await say(page, 'hello');
  await say(page, 'is anyone here?');
  await expect(page.getByTestId('chat-message')).toHaveCount(2);
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  // Leaving sends at once; wait for the batch with the meeting's counters.
  await expect
    .poll(() =>
      sentBatches(requests).flatMap((batch) =>
        batch.events.map((event) => (event.type === 'usage' ? event.metric : '')),
      ),
    )
    .toEqual(expect.arrayContaining(['joinAttempt', 'joinSuccess', 'imSent', 'meetingMinutes']));

  // A fresh page of the same pool: its notice, against every request body this flow captured.
  const reader = await page.context().newPage();
  await openMeeting(reader, pool.url(`${ALICE}?sl=1`));
  const notice = await openNotice(reader);
  await expect(notice).toHaveAttribute('data-telemetry', 'on');
  const shown = await listed(notice);
  const batches = sentBatches(requests);
  const sentTypes = new Set(batches.flatMap((batch) => batch.events.map((event) => event.type)));
  expect([...sentTypes]).toEqual(expect.arrayContaining(['census', 'usage', 'vital', 'deviceConfig']));
  const missing: string[] = [];
  for (const batch of batches) {
    const census = shown.find((section) => section.category === 'census');
    for (const name of Object.keys(batch).filter((key) => key !== 'v' && key !== 'events')) {
      if (!census?.fields.includes(name)) missing.push(`batch.${name}`);
    }
    for (const event of batch.events) {
      const section = shown.find((entry) => entry.category === categoryOfEventType(event.type));
      if (!section?.eventTypes.includes(event.type)) missing.push(`type ${event.type}`);
      for (const field of fieldsInEvent(event)) {
        if (!section?.fields.includes(field)) missing.push(`${event.type}.${field}`);
      }
    }
  }
  expect(missing).toEqual([]);
});

test('flag off: opening the notice, on the launcher and the prejoin, makes no telemetry request and stores nothing', async ({
  page,
  pool,
  requests,
}) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  // What the launcher fetches by itself once painted (the rest of its words, the purge of earlier
  // telemetry, the phone panel, the service worker) is done before the click, so what follows it
  // is the notice's alone.
  const afterPaint = [
    /\/assets\/en-US-/,
    /\/assets\/telemetry-storage-/,
    /\/assets\/phone-\w+\.css$/,
    /\/assets\/registration-/,
  ];
  await expect
    .poll(() =>
      afterPaint.filter((pattern) => !requests.some((r) => !r.byServiceWorker && pattern.test(r.url))).map(String),
    )
    .toEqual([]);
  // The notice's code and words are not on the launcher's path: nothing of it before the click.
  const beforeClick = requests.length;
  expect(requests.filter((r) => /\/assets\/(?:privacy|notice-)/.test(r.url) && !r.byServiceWorker)).toEqual([]);
  const notice = await openNotice(page);
  await expect(notice).toHaveAttribute('data-telemetry', 'off');
  await expect(notice).toContainText(englishNotice.off);
  await page.keyboard.press('Escape');
  await expect(notice).toHaveCount(0);
  // Only the notice's own files came, from the page: its chunk, stylesheet and words (and the
  // stylesheet helper it shares with the phone panel, if that has not brought it already).
  const sinceClick = pageRequestsSince(requests, beforeClick).map(assetName);
  expect(
    sinceClick.filter((name) => !['privacy-chunk', 'privacy', 'notice-en-US', 'link-stylesheet'].includes(name)),
  ).toEqual([]);
  expect(sinceClick).toEqual(expect.arrayContaining(['privacy-chunk', 'privacy', 'notice-en-US']));

  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toBeVisible();
  const onPrejoin = await openNotice(page);
  await expect(onPrejoin).toHaveAttribute('data-telemetry', 'off');
  await expect(onPrejoin.getByTestId('privacy-category')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('privacy-link')).toBeFocused();

  expect(requests.length).toBeGreaterThan(beforeClick);
  expect(requests.filter(isTelemetryRequest)).toEqual([]);
  expect(requests.filter(isTelemetryChunk), `none of ${[...telemetryChunkPaths()].join(', ')}`).toEqual([]);
  expect(requests.filter((r) => /web-vitals/i.test(r.url))).toEqual([]);
  expect(await telemetryStorage(page)).toEqual({ deviceId: null, databases: [] });
  expect(await storageSnapshot(page)).toEqual({ localStorage: [], sessionStorage: [], indexedDB: [], cookies: [] });
});

for (const [name, answer] of [
  ['the string "true"', { status: 200, body: '{"MeetingUxEnableTelemetry":"true"}' }],
  ['a 500 error', { status: 500, body: '{"MeetingUxEnableTelemetry":true}' }],
] as const) {
  test(`fail closed: with the pool on but its config read as ${name}, the notice says off`, async ({
    page,
    pool,
    requests,
  }) => {
    await setTelemetry(pool, true);
    // As from the service worker: the page reads the config over the network, and gets this.
    await withoutFirstScreenData(page);
    await page.route('**/config/webservice.json', (route) =>
      route.fulfill({ status: answer.status, contentType: 'application/json', body: answer.body }),
    );
    await openMeeting(page, pool.url(`${ALICE}?sl=1`));
    const notice = await openNotice(page);
    await expect(notice).toHaveAttribute('data-telemetry', 'off');
    await expect(notice).toContainText(englishNotice.off);
    await expect(notice.getByTestId('privacy-category')).toHaveCount(0);
    expect(requests.filter(isTelemetryRequest)).toEqual([]);
    expect(requests.filter(isTelemetryChunk)).toEqual([]);
  });
}
