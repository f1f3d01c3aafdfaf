/**
 * Two tabs on one pool share the device's persisted queue: a tab never sends the events of another
 * open tab, and the next page adopts what a crashed or closed tab left undelivered.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { TelemetryBatch } from '../../src/shared/telemetry-schema';
import { expect, joinAsGuest, openMeeting, REPORT_POLL, test } from './fixtures';
import { parsed, persistedCount, persistedEvents, raiseErrors, setTelemetry, storedEvents } from './telemetry-helpers';

/** The telemetry event ids each page of the context put on the wire. */
function logSentByPage(context: BrowserContext): Map<Page, Set<string>> {
  const sent = new Map<Page, Set<string>>();
  context.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/telemetry/')) return;
    const body = request.postData();
    let page: Page | undefined;
    try {
      page = request.frame().page();
    } catch {
      return; // a request of a page already gone
    }
    if (!body) return;
    const ids = sent.get(page) ?? new Set<string>();
    for (const e of (JSON.parse(body) as TelemetryBatch).events) ids.add(e.id);
    sent.set(page, ids);
  });
  return sent;
}

test('tabs keep to their own events; a crashed tab’s events are adopted by the next page', async ({
  context,
  pool,
}) => {
  await setTelemetry(pool, true);
  const sent = logSentByPage(context);
  await context.route('**/telemetry/**', (route) => route.fulfill({ status: 503, body: '{}' }));
  // Playwright's clock in every page, so the flow can move B to its next retry instead of waiting.
  await context.clock.install();
  const a = await context.newPage();
  const b = await context.newPage();
  await openMeeting(a, pool.url('/alice/7Q3DSSYV?sl=1'));
  await openMeeting(b, pool.url('/alice/7Q3DSSYV?sl=1'));
  await raiseErrors(a, 'tab-a');
  await raiseErrors(b, 'tab-b');
  await expect.poll(() => persistedCount(b), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);

  // Tab A crashes with its events undelivered (a closing page's last keepalive would escape the
  // test's interception, so a crash is the honest way to leave events behind); the service is back.
  const crashed = a.waitForEvent('crash');
  await a.goto('chrome://crash').catch(() => {});
  await crashed;
  await a.close();
  await context.unroute('**/telemetry/**');
  const c = await context.newPage();
  await openMeeting(c, pool.url('/alice/7Q3DSSYV?sl=1'));

  const messages = () =>
    storedEvents(pool)
      .filter((r) => r.type === 'error')
      .map((r) => String(parsed(r).message))
      .sort();
  // C delivers A's errors; B, still open, delivers its own on its next retry (at most 5 minutes of
  // backoff away: each look moves B's clock past it).
  await expect
    .poll(async () => {
      await b.clock.fastForward(5 * 60_000);
      return messages();
    })
    .toEqual(
      [
        'Error: boom tab-a at <url>',
        'Error: boom tab-b at <url>',
        'TypeError: rejected tab-a',
        'TypeError: rejected tab-b',
      ].sort(),
    );
  const rows = storedEvents(pool).filter((r) => r.type === 'error');
  const sentByB = sent.get(b);
  const sentByC = sent.get(c);
  const idOf = (tag: string) => rows.filter((r) => String(parsed(r).message).includes(tag)).map((r) => r.id);
  for (const id of idOf('tab-a')) {
    expect(sentByC?.has(id), 'A’s event sent by C').toBe(true);
    expect(sentByB?.has(id), 'A’s event never sent by B, which was open too').toBe(false);
  }
  for (const id of idOf('tab-b')) expect(sentByC?.has(id), 'B’s event never taken by C while B is open').toBe(false);
  await b.close();
  await c.close();
});

test('IMs counted just before a tab crashes are kept on disk as they grow, and the next page delivers them once', async ({
  context,
  pool,
}) => {
  await setTelemetry(pool, true);
  // The service is down and asks for an hour's pause: no flush can seal this tab's counters, so only
  // what the tab wrote to disk as it counted can survive the crash.
  const refused: string[] = [];
  const a = await context.newPage();
  await a.route('**/telemetry/**', (route) => {
    refused.push(route.request().url());
    return route.fulfill({ status: 503, headers: { 'retry-after': '3600' }, body: '{}' });
  });
  await openMeeting(a, pool.url('/alice/7Q3DSSYV?sl=1'));
  await joinAsGuest(a);
  await expect(a.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => refused.length, { timeout: 20_000 }).toBe(1);
  for (const text of ['first', 'second']) {
    await a.getByTestId('chat-input').fill(text);
    await a.getByTestId('chat-send').click();
    await expect(a.getByTestId('chat-input')).toHaveValue('');
  }
  const imSentRows = async () =>
    (await persistedEvents(a)).flatMap((e) => (e.type === 'usage' && e.metric === 'imSent' ? [e.value] : []));
  await expect.poll(imSentRows, { timeout: 10_000 }).toEqual([2]);

  const crashed = a.waitForEvent('crash');
  await a.goto('chrome://crash').catch(() => {});
  await crashed;
  await a.close();
  const next = await context.newPage();
  await openMeeting(next, pool.url('/alice/7Q3DSSYV?sl=1'));
  await expect.poll(async () => (await pool.reportFor('pool01.contoso.com')).imSent, REPORT_POLL).toBe(2);
  const usage = storedEvents(pool).filter((r) => r.type === 'usage' && parsed(r).metric === 'imSent');
  expect(usage, 'one event for both messages').toHaveLength(1);
  expect(await pool.reportFor('pool01.contoso.com')).toMatchObject({ joinAttempts: 1, joinSuccesses: 1, imSent: 2 });
  await next.close();
});
