/** Shared by the TURN flows (media-turn*.spec.ts): a coturn per test, the pool server started with its secret, two people in a call, and what each page's getStats selected. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { type Coturn, startCoturn } from '../support/coturn';
import { joinAsGuest, openMeeting, startPoolServer } from './fixtures';
import { expectVideoFlowing, recordPeerConnections, selfId, soundFrom } from './media-helpers';
import { ALICE, test as base, expect, type People } from './shell-helpers';

export { expect };

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

export const test = base.extend<{ coturn: Coturn }>({
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

export interface SelectedPair {
  connectionState: string;
  local?: { candidateType: string; protocol: string; relayProtocol?: string; url?: string };
  remote?: { candidateType: string; protocol: string };
  /** Every kind of candidate the page gathered: `relay/udp`, `host/tcp/active` ... */
  gathered: string[];
}

/** The selected candidate pair of each open peer connection of the page (recorded before the app ran). */
export function selectedPairs(page: Page): Promise<SelectedPair[]> {
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

/**
 * The page's peer connections made with `iceTransportPolicy: 'relay'`, as a relay-only deployment
 * would have them: the browser then offers relay candidates only, whatever its network allows.
 */
async function relayOnly(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super({ ...configuration, iceTransportPolicy: 'relay' });
      }
    } as typeof RTCPeerConnection;
  });
}

async function join(
  pool: { url(path: string): string },
  people: People,
  name: string,
  options: { relayOnly?: boolean } = {},
): Promise<Page> {
  const page = await people.newPage();
  if (options.relayOnly) await relayOnly(page);
  await recordPeerConnections(page);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await joinAsGuest(page, name);
  return page;
}

/** The admin's step, with the installed admin command: IceServers name the TURN server. */
export async function setIceServers(pool: { dataDir: string }, coturn: Coturn): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'bin/meet-launcher.mjs'), 'set', '-IceServers', coturn.iceServers], {
    env: { ...process.env, DATA_DIR: pool.dataDir },
  });
}

/** Two people in a call: video and sound both ways. */
export async function call(pool: { url(path: string): string }, people: People, options: { relayOnly?: boolean } = {}) {
  const ann = await join(pool, people, 'Ann Lee', options);
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  const ben = await join(pool, people, 'Ben Ode', options);
  await expect(ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(ben.getByTestId('media-tile')).toHaveCount(2);
  const annId = await selfId(ann);
  const benId = await selfId(ben);
  await expectVideoFlowing(ann, benId);
  await expectVideoFlowing(ben, annId);
  await expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(ben, annId), { timeout: 30_000 }).toBeGreaterThan(0.01);
  return [ann, ben];
}

/** coturn's side of it: it accepted the pages' credentials and relayed between the allocations. */
export function expectCoturnRelayed(coturn: Coturn): void {
  const log = coturn.log();
  expect(log).toMatch(/ALLOCATE processed, success/);
  expect(log).toMatch(/CREATE_PERMISSION processed, success/);
}
