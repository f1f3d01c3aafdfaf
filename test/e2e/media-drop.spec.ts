/**
 * Media through a real network drop. Playwright's `setOffline` does not touch WebRTC, so these flows
 * drop the call's UDP packets in the kernel (call-network.ts: a tc filter on lo, this call's sockets
 * only) and watch the peer connections in the pages (media-helpers.ts `recordPeerConnections`).
 * Chromium here says `disconnected` a few seconds into a drop and `failed` about 15 s later; each ICE
 * restart that cannot get through fails again about 15 s after it starts.
 */
import type { Page } from '@playwright/test';
import { CallNetwork } from './call-network';
import { joinAsGuest, openMeeting, type PoolServer } from './fixtures';
import {
  expectVideoFlowing,
  type Link,
  link,
  links,
  recordPeerConnections,
  type SocketAddress,
  selfId,
  soundFrom,
} from './media-helpers';
import { ALICE, test as base, expect, type People } from './shell-helpers';
import { endpointKey } from './udp-drop';

const test = base.extend<{ network: CallNetwork }>({
  // Whatever happens in the flow, the packets go again before the next one.
  network: async ({ pool }, use) => {
    const network = new CallNetwork(pool);
    try {
      await use(network);
    } finally {
      await network.restore();
    }
  },
});

interface Call {
  ann: Page;
  ben: Page;
  annId: string;
  benId: string;
}

/** Ann and Ben in a call, seeing and hearing each other, their peer connections recorded. */
async function twoInACall(pool: PoolServer, people: People): Promise<Call> {
  const join = async (name: string) => {
    const page = await people.newPage();
    await recordPeerConnections(page);
    await openMeeting(page, pool.url(`${ALICE}?sl=1`));
    await joinAsGuest(page, name);
    return page;
  };
  const ann = await join('Ann Lee');
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  const ben = await join('Ben Ode');
  await expect(ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(ben.getByTestId('media-tile')).toHaveCount(2);
  const call = { ann, ben, annId: await selfId(ann), benId: await selfId(ben) };
  await expectMediaBothWays(call);
  return call;
}

async function expectMediaBothWays({ ann, ben, annId, benId }: Call): Promise<void> {
  await expectVideoFlowing(ann, benId);
  await expectVideoFlowing(ben, annId);
  await expect.poll(() => soundFrom(ann, benId)).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(ben, annId)).toBeGreaterThan(0.01);
}

/** The tile of `participantId` on `page`. */
const tile = (page: Page, participantId: string) =>
  page.locator(`[data-testid="media-tile"][data-participant-id="${participantId}"]`);

/** Both pages say the other is reconnecting. */
async function expectReconnecting({ ann, ben, annId, benId }: Call, on: boolean, timeout = 20_000): Promise<void> {
  await expect(tile(ann, benId)).toHaveAttribute('data-reconnecting', String(on), { timeout });
  await expect(tile(ben, annId)).toHaveAttribute('data-reconnecting', String(on), { timeout });
}

const both = async (call: Call): Promise<Link[]> => [await link(call.ann), await link(call.ben)];

/** restartIce() calls on each side. The side with the lower participant id is the polite one. */
async function restartsBySide(call: Call): Promise<{ impolite: number; polite: number }> {
  const [ann, ben] = await both(call);
  const annPolite = call.annId < call.benId;
  return {
    impolite: (annPolite ? ben : ann)?.restarts ?? -1,
    polite: (annPolite ? ann : ben)?.restarts ?? -1,
  };
}

/** The network is back: the tiles stop saying reconnecting, then video and sound flow both ways again. */
async function expectRecovered(call: Call, back: number, timeout = 20_000): Promise<void> {
  await expectReconnecting(call, false, timeout);
  timing(`network back → connected again: ${since(back)}`);
  await expectMediaBothWays(call);
  timing(`network back → video frames and sound checked arriving both ways: ${since(back)}`);
}

const failures = (l: Link) => l.states.filter((s) => s === 'failed').length;
const since = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;
const timing = (description: string) => test.info().annotations.push({ type: 'timing', description });

test('a short drop: the connection only goes disconnected and comes back on its own, no ICE restart', async ({
  pool,
  people,
  network,
}) => {
  const call = await twoInACall(pool, people);
  const before = await both(call);

  const cut = Date.now();
  await network.cutOff([call.ann, call.ben], 'drop');
  await expectReconnecting(call, true);
  await expect
    .poll(async () => (await both(call)).map((l) => l.connectionState))
    .toEqual(['disconnected', 'disconnected']);
  timing(`drop → both disconnected and showing reconnecting: ${since(cut)}`);

  const back = Date.now();
  await network.restore();
  await expectRecovered(call, back);

  // Nothing failed and nothing was restarted: the same ICE session carried on.
  const after = await both(call);
  for (const [i, l] of after.entries()) {
    expect(l.connectionState).toBe('connected');
    expect(l.states).not.toContain('failed');
    expect(l.restarts).toBe(0);
    expect(l.ufrag).toBe(before[i]?.ufrag);
  }
  expect(network.signalled, 'no new candidates: no ICE restart').toEqual([]);
});

test('a long drop: ICE fails, the page restarts it while still cut off, media comes back with the network', async ({
  pool,
  people,
  network,
}) => {
  const call = await twoInACall(pool, people);
  const before = await both(call);

  const cut = Date.now();
  await network.cutOff([call.ann, call.ben], 'drop');
  await expectReconnecting(call, true);
  // ICE fails (the side that sees it first is enough); one side restarts it (the impolite one: no
  // offer collision), so both get new ICE credentials and gather new sockets, the network still down.
  await expect
    .poll(
      async () => {
        const now = await both(call);
        return {
          failed: now.some((l) => failures(l) > 0),
          renewed: now.every((l, i) => l.ufrag !== before[i]?.ufrag),
        };
      },
      { timeout: 45_000 },
    )
    .toEqual({ failed: true, renewed: true });
  expect(await restartsBySide(call)).toEqual({ impolite: 1, polite: 0 });
  timing(`drop → ICE failed and restarted: ${since(cut)}`);
  // The restart's new sockets are cut as well (it is the network that is down, not one path)...
  await expect.poll(() => network.signalled.length).toBeGreaterThan(0);
  expect(network.dropped.map(endpointKey)).toEqual(expect.arrayContaining(network.signalled.map(endpointKey)));
  // ...so it does not get through, and the tiles still say so.
  for (const l of await both(call)) expect(l.connectionState).not.toBe('connected');
  await expectReconnecting(call, true, 1_000);

  const back = Date.now();
  await network.restore();
  await expectRecovered(call, back);
  for (const l of await both(call)) expect(l.connectionState).toBe('connected');
});

test('the old path is gone for good (a network change): the ICE restart finds a new one', async ({
  pool,
  people,
  network,
}) => {
  const call = await twoInACall(pool, people);

  const cut = Date.now();
  const old = (await network.cutOff([call.ann, call.ben], 'allow')).map(endpointKey);
  await expectReconnecting(call, true);
  // The old sockets stay cut; only a restart (new sockets) can bring the call back.
  await expect.poll(async () => (await both(call)).some((l) => failures(l) > 0), { timeout: 45_000 }).toBe(true);
  await expect.poll(() => restartsBySide(call)).toEqual({ impolite: 1, polite: 0 });
  await expectReconnecting(call, false);
  timing(`drop → connected again over new sockets: ${since(cut)}`);
  await expectMediaBothWays(call);
  timing(`drop → video frames and sound checked arriving both ways: ${since(cut)}`);
  expect(network.cut).toBe(true);
  for (const l of await both(call)) {
    expect(l.connectionState).toBe('connected');
    expect(old).not.toContain(endpointKey(l.local as SocketAddress));
    expect(old).not.toContain(endpointKey(l.remote as SocketAddress));
  }
});

test('an outage longer than the quick ICE restarts: the page keeps trying, media comes back with the network', async ({
  pool,
  people,
  network,
}) => {
  const call = await twoInACall(pool, people);

  const cut = Date.now();
  await network.cutOff([call.ann, call.ben], 'drop');
  // ICE fails, and the restarts fail too: three failures on a side, about 45 s (closed connections
  // count: giving up on one is what this flow is about).
  const mostFailures = async () =>
    Math.max(...(await Promise.all([call.ann, call.ben].map((p) => links(p, { closed: true })))).flat().map(failures));
  await expect.poll(mostFailures, { timeout: 100_000 }).toBeGreaterThan(2);
  timing(`drop → three ICE failures: ${since(cut)}`);
  // Both people are still in the meeting: their tiles stay, saying they are reconnecting.
  await expect(call.ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(call.ben.getByTestId('media-tile')).toHaveCount(2);
  await expectReconnecting(call, true, 1_000);

  const back = Date.now();
  await network.restore();
  await expectRecovered(call, back, 60_000);
});
