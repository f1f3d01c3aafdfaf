/**
 * Cross-node chat: a page holds its event stream on node A of a two-node pool (one PostgreSQL,
 * HAProxy in front, test/e2e/pool-nodes-helpers.ts); 200 messages are sent through node B's API,
 * one at a time, and each is timed from just before its send to the moment the page on node A
 * shows it (a MutationObserver on the chat, clocks of one machine). p99 over the 200.
 * Chat allows 30 messages a minute per sender, so 8 senders take turns.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Page } from '@playwright/test';
import { startPool } from '../test/e2e/pool-nodes-helpers';
import type { Figure } from './figure';

const MESSAGES = 200;
const SENDERS = 8;
const BUDGET_P99_MS = 150;
/** One message not shown within this fails the bench. */
const SHOWN_WITHIN_MS = 10_000;
const HOST = 'meet.contoso.test';
const keepAlive = new http.Agent({ keepAlive: true });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

/** A POST to one node straight (not through HAProxy), as HAProxy would forward it. */
function api(port: number, path: string, body: unknown, token?: string): Promise<Record<string, string>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1${path}`,
        // fetch would not let us name the pool's host; node:http does.
        headers: {
          host: HOST,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          // The scheme the page used, as HAProxy forwards it (the node trusts 127.0.0.1).
          'x-forwarded-proto': 'https',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        agent: keepAlive,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          if ((response.statusCode ?? 0) >= 300) reject(new Error(`POST ${path}: ${response.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, string>);
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export async function run(): Promise<Figure[]> {
  const pool = await startPool(HOST, 2);
  try {
    const [nodeA, nodeB] = pool.nodes as [(typeof pool.nodes)[0], (typeof pool.nodes)[0]];
    const links = JSON.parse(
      await pool.admin('new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'Cross-node bench', '--json'),
    ) as { guestLink: string; conferenceId: string };
    const browser = await pool.browser();
    const errors: string[] = [];
    const page: Page = await (await pool.pinnedContext(browser, nodeA, errors)).newPage();
    await page.goto(links.guestLink);
    await page.getByTestId('join-web').click();
    await page.getByTestId('display-name').fill('Reader on node A');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('in-meeting').waitFor({ timeout: 30_000 });
    // When each message text first appears in the page, on the machine's clock.
    await page.evaluate(() => {
      const shown = new Map<string, number>();
      (window as unknown as { shown: Map<string, number> }).shown = shown;
      new MutationObserver(() => {
        for (const text of document.querySelectorAll('[data-testid="chat-text"]')) {
          const value = text.textContent ?? '';
          if (!shown.has(value)) shown.set(value, performance.timeOrigin + performance.now());
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const senders: { id: string; token: string }[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const joined = await api(nodeB.port, `/meetings/alice/${links.conferenceId}/participants`, {
        displayName: `Sender ${i + 1}`,
      });
      senders.push({ id: joined.participantId as string, token: joined.token as string });
    }
    const latencies: number[] = [];
    for (let n = 0; n < MESSAGES; n++) {
      const sender = senders[n % SENDERS] as { id: string; token: string };
      const text = `cross-node ${n}`;
      const sentAt = Date.now();
      await api(nodeB.port, `/participants/${sender.id}/chat`, { text, clientMessageId: randomUUID() }, sender.token);
      const shownAt = await page.waitForFunction(
        (t) => (window as unknown as { shown: Map<string, number> }).shown.get(t),
        text,
        { timeout: SHOWN_WITHIN_MS, polling: 'raf' },
      );
      latencies.push(((await shownAt.jsonValue()) as number) - sentAt);
    }
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`  ${MESSAGES} messages: p50 ${p50.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    return [
      {
        name: 'cross-node chat, send on node B to shown on node A, p99',
        value: Math.round(p99 * 10) / 10,
        unit: 'ms',
        budget: { atMost: BUDGET_P99_MS },
        note: `${MESSAGES} messages, PostgreSQL LISTEN/NOTIFY, HAProxy`,
      },
    ];
  } finally {
    keepAlive.destroy();
    await pool.stop();
  }
}
