/**
 * One pool, many nodes (issue 13): two `npm run serve` nodes on one PostgreSQL behind HAProxy
 * running the shipped config. Pages pinned to different nodes (HAProxy's ML_NODE cookie) meet,
 * chat, and go through the lobby across nodes; the admin's flag reaches pages on both nodes and the
 * report counts joins from both; kill -9 of the node holding a guest's stream loses nothing and
 * shows nothing twice; restarting every node leaves the meeting live.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test } from '@playwright/test';
import { expectVideoFlowing, selfId, soundFrom } from './media-helpers';
import { type Pool, type PoolNode, startPool } from './pool-nodes-helpers';
import { chatLog, expect, rosterNames, say } from './shell-helpers';

// One pool for the whole file: its flows run in order, in one worker.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const HOST = 'meet.contoso.test';
let pool: Pool;
let browser: Browser;
const errors: string[] = [];
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  pool = await startPool(HOST, 2);
  browser = await pool.browser();
});

test.afterAll(async () => {
  await pool?.stop();
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

interface Links {
  guestLink: string;
  organizerLink: string;
  conferenceId: string;
}

async function newMeeting(subject: string, lobby = false): Promise<Links> {
  const args = ['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', subject, '--json'];
  if (lobby) args.push('-Lobby');
  return JSON.parse(await pool.admin(...args)) as Links;
}

const nodeA = () => pool.nodes[0] as PoolNode;
const nodeB = () => pool.nodes[1] as PoolNode;

/** A person whose every request HAProxy sends to `node` (while it lives) joins with `name`. */
async function joinOn(node: PoolNode, link: string, name: string): Promise<Page> {
  const context = await pool.pinnedContext(browser, node, errors);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
  return page;
}

/** The node HAProxy pins this page to now: it rewrites the cookie only when it moved the page. */
async function pinnedNode(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'ML_NODE')?.value;
}

test('pages on different nodes meet: roster, chat both ways, and the lobby across nodes', async () => {
  const links = await newMeeting('Across nodes', true);
  const organizer = await joinOn(nodeB(), links.organizerLink, 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();

  // A guest on node A waits in the lobby; the organizer on node B sees them and admits them.
  const guest = await joinOn(nodeA(), links.guestLink, 'Gwen Guest');
  await expect(guest.getByTestId('lobby')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveText(/Gwen Guest/);
  await organizer.getByTestId('lobby-admit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();

  await expect.poll(() => rosterNames(guest).then((n) => n.sort())).toEqual(['Alice Organizer', 'Gwen Guest']);
  await expect.poll(() => rosterNames(organizer).then((n) => n.sort())).toEqual(['Alice Organizer', 'Gwen Guest']);
  await say(organizer, 'hello from node B');
  await say(guest, 'hello from node A');
  const both = ['Alice Organizer: hello from node B', 'Gwen Guest: hello from node A'];
  await expect.poll(() => chatLog(guest)).toEqual(both);
  await expect.poll(() => chatLog(organizer)).toEqual(both);

  // Every request of each page went to its own node: HAProxy never had to move either of them.
  expect(await pinnedNode(guest)).toBe('node-a');
  expect(await pinnedNode(organizer)).toBe('node-b');
});

test("the admin's flag turns telemetry on for pages on both nodes; the report counts both nodes' joins", async () => {
  const links = await newMeeting('Counted on both nodes');
  await pool.admin('set', '-MeetingUxEnableTelemetry', 'true');
  const pages: Page[] = [];
  for (const [node, name] of [
    [nodeA(), 'Ada'],
    [nodeB(), 'Bea'],
  ] as const) {
    const page = await joinOn(node, links.guestLink, name);
    await expect(page.getByTestId('in-meeting')).toBeVisible();
    pages.push(page);
  }
  // Leaving sends what the page counted at once.
  for (const page of pages) {
    await page.getByTestId('leave').click();
    await expect(page.getByTestId('meeting-ended')).toBeVisible();
  }
  const joins = async () => {
    const report = JSON.parse(await pool.admin('report', '--Json', '--Utc')) as {
      pools: { pool: string; joinAttempts: number; joinSuccesses: number }[];
    };
    const entry = report.pools.find((p) => p.pool === 'pool03.contoso.com');
    return { attempts: entry?.joinAttempts, successes: entry?.joinSuccesses };
  };
  await expect.poll(joins, { timeout: 30_000 }).toEqual({ attempts: 2, successes: 2 });
  expect(await pinnedNode(pages[0] as Page)).toBe('node-a');
  expect(await pinnedNode(pages[1] as Page)).toBe('node-b');
  await pool.admin('set', '-MeetingUxEnableTelemetry', 'false');
});

test('kill -9 of the node holding a stream: the page moves to the other node and shows every message once, in order', async () => {
  const links = await newMeeting('Failover');
  const sender = await joinOn(nodeB(), links.organizerLink, 'Sam Sender');
  await expect(sender.getByTestId('in-meeting')).toBeVisible();
  const reader = await joinOn(nodeA(), links.guestLink, 'Rita Reader');
  await expect(reader.getByTestId('in-meeting')).toBeVisible();
  await say(sender, 'message 1');
  await expect.poll(() => chatLog(reader)).toEqual(['Sam Sender: message 1']);

  await nodeA().kill();
  const sent = ['message 1'];
  for (let i = 2; i <= 6; i++) {
    await say(sender, `message ${i}`);
    sent.push(`message ${i}`);
  }
  const expected = sent.map((text) => `Sam Sender: ${text}`);
  await expect.poll(() => chatLog(reader), { timeout: 30_000 }).toEqual(expected);
  await expect(reader.getByTestId('reconnecting')).toHaveCount(0);
  expect(await pinnedNode(reader)).toBe('node-b');
  await say(reader, 'still here');
  await expect.poll(() => chatLog(sender)).toEqual([...expected, 'Rita Reader: still here']);
  await expect.poll(() => rosterNames(sender).then((n) => n.sort())).toEqual(['Rita Reader', 'Sam Sender']);

  await nodeA().start();
});

test('every node restarts while a meeting is live: it goes on, roster, chat and the call intact', async () => {
  const links = await newMeeting('Through restarts');
  const alice = await joinOn(nodeA(), links.organizerLink, 'Alice Organizer');
  await expect(alice.getByTestId('in-meeting')).toBeVisible();
  const bob = await joinOn(nodeB(), links.guestLink, 'Bob Guest');
  await expect(bob.getByTestId('in-meeting')).toBeVisible();
  await say(alice, 'before');
  await expect.poll(() => chatLog(bob)).toEqual(['Alice Organizer: before']);
  const [aliceId, bobId] = [await selfId(alice), await selfId(bob)];
  await expectVideoFlowing(bob, aliceId);
  await expectVideoFlowing(alice, bobId);

  // All at once: no node is left to serve anyone while they are down.
  await Promise.all(pool.nodes.map((node) => node.stop()));
  await Promise.all(pool.nodes.map((node) => node.start()));

  await expect(alice.getByTestId('in-meeting')).toBeVisible();
  await expect(bob.getByTestId('in-meeting')).toBeVisible();
  await expect
    .poll(() => rosterNames(bob).then((n) => n.sort()), { timeout: 30_000 })
    .toEqual(['Alice Organizer', 'Bob Guest']);
  await expect(alice.getByTestId('reconnecting')).toHaveCount(0, { timeout: 30_000 });
  await expect(bob.getByTestId('reconnecting')).toHaveCount(0, { timeout: 30_000 });
  await say(bob, 'after');
  await say(alice, 'after too');
  const all = ['Alice Organizer: before', 'Bob Guest: after', 'Alice Organizer: after too'];
  await expect.poll(() => chatLog(alice)).toEqual(all);
  await expect.poll(() => chatLog(bob)).toEqual(all);
  // The call itself goes on: video and sound both ways, nobody clicked anything.
  await expectVideoFlowing(bob, aliceId);
  await expectVideoFlowing(alice, bobId);
  await expect.poll(() => soundFrom(alice, bobId)).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(bob, aliceId)).toBeGreaterThan(0.01);
});
