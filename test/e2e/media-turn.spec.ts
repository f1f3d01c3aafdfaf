/**
 * A call relayed through a real TURN server: Debian's coturn (test/support/coturn.ts) with
 * `use-auth-secret` and a `static-auth-secret`, the service started with the same secret as
 * TURN_SECRET, and the IceServers parameter naming the coturn, set with the admin CLI as an admin
 * does. The pages get a TURN REST API credential with their media session; only coturn's relay can
 * carry the call, and each page's getStats shows a selected candidate pair of relay candidates
 * allocated on this coturn, with video and sound flowing through it.
 *
 * How relay is forced: the browsers run with Chromium's WebRTC IP handling policy
 * `disable_non_proxied_udp` (`--webrtc-ip-handling-policy`, the command-line form of the
 * `WebRtcIPHandling` enterprise policy that managed browsers get on networks that let no UDP out).
 * Such a browser gathers no host or server-reflexive candidates at all: its only way to the other
 * person is a TURN allocation over TCP, relayed by coturn (as UDP, between the two allocations).
 * That is the case a TURN server is deployed for, the product's code is the one people run (no
 * hook in it, no wrapper around RTCPeerConnection in the page), and with TURN broken (coturn
 * down, or TURN_SECRET not coturn's static-auth-secret: coturn answers 401 to every allocation)
 * the pages have no relay candidate, so no pair can connect and no frame arrives.
 * (The page-level alternative, `iceTransportPolicy: 'relay'`, would need a wrapper in the page or a
 * product parameter; the browser policy proves the same relay with neither.)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { type Coturn, startCoturn } from '../support/coturn';
import { CHROMIUM_ARGS, findChromium } from './browser';
import { joinAsGuest, openMeeting, startPoolServer } from './fixtures';
import { expectVideoFlowing, recordPeerConnections, selfId, soundFrom } from './media-helpers';
import { ALICE, test as base, expect, type People } from './shell-helpers';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

const test = base.extend<{ coturn: Coturn }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  coturn: async ({}, use) => {
    const coturn = await startCoturn();
    await use(coturn);
    await coturn.stop();
  },
  pool: async ({ coturn }, use) => {
    const server = await startPoolServer({ desktopAppLaunch: false, turnSecret: coturn.secret });
    await use(server);
    await server.stop();
  },
});

test.use({
  launchOptions: {
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS, '--webrtc-ip-handling-policy=disable_non_proxied_udp'],
  },
});

interface SelectedPair {
  connectionState: string;
  local?: { candidateType: string; protocol: string; relayProtocol?: string; url?: string };
  remote?: { candidateType: string; protocol: string };
  /** Every kind of candidate the page gathered: `relay/udp`, `host/tcp/active` ... */
  gathered: string[];
}

/** The selected candidate pair of each open peer connection of the page (recorded before the app ran). */
function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const open = all.filter((pc) => pc.connectionState !== 'closed');
    return Promise.all(
      open.map(async (pc) => {
        const stats = await pc.getStats();
        let pairId: string | undefined;
        const gathered: string[] = [];
        stats.forEach((s) => {
          if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
          if (s.type === 'local-candidate')
            gathered.push([s.candidateType, s.protocol, s.tcpType].filter(Boolean).join('/'));
        });
        const pair = pairId ? stats.get(pairId) : undefined;
        const local = pair ? stats.get(pair.localCandidateId) : undefined;
        const remote = pair ? stats.get(pair.remoteCandidateId) : undefined;
        return {
          connectionState: pc.connectionState,
          local: local && {
            candidateType: local.candidateType,
            protocol: local.protocol,
            relayProtocol: local.relayProtocol,
            url: local.url,
          },
          remote: remote && { candidateType: remote.candidateType, protocol: remote.protocol },
          gathered: [...new Set(gathered)],
        };
      }),
    );
  });
}

async function join(pool: { url(path: string): string }, people: People, name: string): Promise<Page> {
  const page = await people.newPage();
  await recordPeerConnections(page);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await joinAsGuest(page, name);
  return page;
}

test('a call with no way but TURN is relayed by coturn: relay candidates selected, video and sound flow', async ({
  pool,
  people,
  coturn,
}) => {
  // The admin's step, with the installed admin command: the IceServers name the TURN server
  // (TURN_SECRET is the server's, given when it started).
  await run(process.execPath, [path.join(ROOT, 'bin/meet-launcher.mjs'), 'set', '-IceServers', coturn.iceServers], {
    env: { ...process.env, DATA_DIR: pool.dataDir },
  });

  const ann = await join(pool, people, 'Ann Lee');
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  const ben = await join(pool, people, 'Ben Ode');
  await expect(ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(ben.getByTestId('media-tile')).toHaveCount(2);
  const annId = await selfId(ann);
  const benId = await selfId(ben);

  await expectVideoFlowing(ann, benId);
  await expectVideoFlowing(ben, annId);
  await expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(ben, annId), { timeout: 30_000 }).toBeGreaterThan(0.01);

  // What carries it: on both pages, the one peer connection's selected pair is relay to relay,
  // allocated on this coturn (over TCP, the only way out these browsers have).
  const turnTcp = `turn:127.0.0.1:${coturn.port}?transport=tcp`;
  for (const page of [ann, ben]) {
    const pairs = await selectedPairs(page);
    expect(pairs).toHaveLength(1);
    const [pair] = pairs as [SelectedPair];
    expect(pair.connectionState).toBe('connected');
    // No UDP of its own: relay candidates, and at most the TCP host candidates of an active-only
    // TCP agent (which can only dial a passive one, and none is offered).
    expect(pair.gathered).toContain('relay/udp');
    expect(pair.gathered.filter((kind) => kind !== 'relay/udp' && kind !== 'host/tcp/active')).toEqual([]);
    expect(pair.local).toEqual({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp', url: turnTcp });
    expect(pair.remote).toEqual({ candidateType: 'relay', protocol: 'udp' });
  }
  // coturn's side of it: it accepted the pages' credentials and relayed between the allocations.
  const log = coturn.log();
  expect(log).toMatch(/ALLOCATE processed, success/);
  expect(log).toMatch(/CREATE_PERMISSION processed, success/);
});
