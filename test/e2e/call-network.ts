/**
 * The network under one call, cut for real (udp-drop.ts) and brought back. What is cut is every UDP
 * socket the call's pages gathered (read from getStats: ICE keeps the other pairs alive as backups,
 * so cutting only the selected pair just moves the call to another one). While it is cut, the
 * signalling the pages exchange through the pool server is watched: an ICE restart gathers new
 * sockets, and a network that is down is down for those too, so each new candidate is added to the
 * drop before the server relays it (before the other side can send it anything).
 */
import type { Page } from '@playwright/test';
import type { PoolServer } from './fixtures';
import { links } from './media-helpers';
import { type Endpoint, endpointKey, UdpDrop } from './udp-drop';

/** The UDP sockets named by candidates in a signal body (a trickled candidate, or an SDP's lines). */
export function candidateSockets(body: unknown): Endpoint[] {
  const signal = (body as { signal?: { kind?: string; candidate?: string; sdp?: string } } | undefined)?.signal;
  const lines =
    signal?.kind === 'candidate'
      ? [signal.candidate ?? '']
      : [...(signal?.sdp ?? '').matchAll(/^a=(candidate:.*)$/gm)].map((m) => m[1] as string);
  const sockets: Endpoint[] = [];
  for (const line of lines) {
    // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    const [, , transport, , address, port] = line.split(' ');
    if (transport?.toLowerCase() === 'udp' && address && port) sockets.push({ address, port: Number(port) });
  }
  return sockets;
}

export class CallNetwork {
  readonly #drop = new UdpDrop();
  #stopWatching: (() => void) | undefined;
  /** Sockets first named in signalling while the network was cut: what an ICE restart gathered. */
  readonly signalled: Endpoint[] = [];

  constructor(private readonly pool: PoolServer) {}

  get cut(): boolean {
    return this.#drop.active;
  }

  /** The sockets whose packets are dropped now. */
  get dropped(): Endpoint[] {
    return this.#drop.endpoints;
  }

  /**
   * Drops every packet of the pages' peer connections. `newSockets`: `drop` (the network is down:
   * whatever the pages gather meanwhile is dead too) or `allow` (the old path is gone for good, as
   * when a laptop moves from Wi-Fi to a phone's hotspot: new sockets work).
   */
  async cutOff(pages: Page[], newSockets: 'drop' | 'allow'): Promise<Endpoint[]> {
    const sockets = (await Promise.all(pages.map((page) => links(page)))).flat().flatMap((link) => link.sockets);
    if (sockets.length === 0) throw new Error('no UDP sockets in these pages: is the call connected?');
    const known = new Set(sockets.map(endpointKey));
    const started = this.#drop.start(sockets);
    this.#stopWatching = this.pool.beforeRoute(async ({ method, url, body }) => {
      if (method !== 'POST' || !/\/participants\/[^/]+\/signal$/.test(url)) return;
      const fresh = candidateSockets(body).filter((s) => !known.has(endpointKey(s)));
      if (fresh.length === 0) return;
      for (const s of fresh) known.add(endpointKey(s));
      this.signalled.push(...fresh);
      // The relay waits until the new socket is cut too: the other side learns of it only then.
      await started;
      if (newSockets === 'drop' && this.#drop.active) await this.#drop.add(fresh);
    });
    await started;
    return sockets;
  }

  /** The network is back: every packet goes again. Safe to call when not cut (teardown). */
  async restore(): Promise<void> {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    await this.#drop.lift();
  }
}
