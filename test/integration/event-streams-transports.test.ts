/**
 * Event streams that are never read, over HTTP/1.1, HTTPS/1.1 and HTTP/2, against the server in its
 * own process (its RSS is its own): a replay follows backpressure on every transport (HTTP/2: the
 * stream's buffer and the peer's flow-control window), so 300 unread replays of a 1,000-event log
 * cost well under 100 MB once their bursts are over (measured after a garbage collection: the
 * server runs with --expose-gc), and the heartbeat drops a stalled peer on every transport.
 */
import type http2 from 'node:http2';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { JoinResponse } from '../../src/shared/api-schema';
import {
  connectHttp1,
  connectHttp2,
  startTransportServer,
  TRANSPORTS,
  type Transport,
  type TransportServer,
} from '../support/transport-clients';

let server: TransportServer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await server?.stop();
  server = undefined;
});

const eventsPath = (who: JoinResponse) =>
  `/api/v1/participants/${who.participantId}/events?token=${who.token}&lastEventId=0`;

interface Unread {
  /** The answer's status (0: closed before any). */
  status: number;
  /** Whether the stream (HTTP/2) or connection (HTTP/1.1) has been closed since. */
  closed: () => boolean;
}

/** Opens an event stream and reads nothing after its status. */
function openUnread(
  transport: Transport,
  port: number,
  who: JoinResponse,
  localAddress: string,
  sessions: Sessions,
): Promise<Unread> {
  let closed = false;
  const unread = (status: number): Unread => ({ status, closed: () => closed });
  if (transport === 'h2') {
    const stream = sessions.get(port, localAddress).request({ ':path': eventsPath(who) });
    stream.on('error', () => {});
    closers.push(() => stream.destroy());
    return new Promise<Unread>((resolve) => {
      stream.once('response', (headers) => {
        stream.pause();
        resolve(unread(Number(headers[':status'])));
      });
      stream.once('close', () => {
        closed = true;
        resolve(unread(0));
      });
    });
  }
  const socket: net.Socket = connectHttp1(transport, port, localAddress);
  socket.on('error', () => {});
  closers.push(() => socket.destroy());
  socket.write(`GET ${eventsPath(who)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return new Promise<Unread>((resolve) => {
    socket.once('data', (chunk) => {
      socket.pause();
      resolve(unread(Number(/^HTTP\/1\.1 (\d{3})/.exec(String(chunk))?.[1] ?? 0)));
    });
    socket.once('close', () => {
      closed = true;
      resolve(unread(0));
    });
  });
}

/** HTTP/2 sessions, a new one every STREAMS_PER_SESSION streams (the server allows 100 at once). */
class Sessions {
  static readonly STREAMS_PER_SESSION = 50;
  private current: http2.ClientHttp2Session | undefined;
  private used = 0;
  get(port: number, localAddress: string): http2.ClientHttp2Session {
    if (!this.current || this.used >= Sessions.STREAMS_PER_SESSION) {
      const session = connectHttp2(port, localAddress);
      closers.push(() => session.destroy());
      this.current = session;
      this.used = 0;
    }
    this.used++;
    return this.current;
  }
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  it('300 unread streams replaying a 1,000-event log cost well under 100 MB', { timeout: 180_000 }, async () => {
    server = await startTransportServer(transport, {
      liveLimits: { maxStreamsPerParticipant: 1000, maxChatPerMinute: 100_000 },
      // 300 connections from one address over HTTP/1.1: past the default cap (connection-cap.ts).
      transport: { maxConnectionsPerAddress: 1000 },
      // The heartbeat would drop these stalled streams after two beats: not while they are measured.
      sse: { heartbeatMs: 600_000 },
    });
    // The listener's log: 1,000 events of ~6 KB (6 MB), far more than a socket's buffers hold.
    const listener = await server.ask<JoinResponse>('log 1000');
    const before = await server.stats();
    const sessions = new Sessions();
    const streams = await Promise.all(
      Array.from({ length: 300 }, () => openUnread(transport, server?.port ?? 0, listener, '127.0.0.2', sessions)),
    );
    const byStatus: Record<number, number> = {};
    for (const { status } of streams) byStatus[status] = (byStatus[status] ?? 0) + 1;
    expect(byStatus).toEqual({ 200: 300 });
    // What the held streams cost once the replays' bursts are over (each sample after a full
    // garbage collection): the transient peak is logged beside it.
    const grownMb = async () => ((await server?.stats())?.rss ?? 0) / 1024 / 1024 - before.rss / 1024 / 1024;
    const peak = await grownMb();
    await expect.poll(grownMb, { timeout: 60_000, interval: 1_000 }).toBeLessThan(50);
    const held = await grownMb();
    console.log(
      `${transport}: 300 unread replays of 1,000 events: +${held.toFixed(1)} MB RSS held (+${peak.toFixed(1)} MB at first)`,
    );
    // Still held: the server did not shed them to get there.
    expect(streams.filter((s) => s.closed()).length).toBe(0);
  });

  it('drops a stream whose peer stopped reading, found by the heartbeat', { timeout: 60_000 }, async () => {
    server = await startTransportServer(transport, {
      // One stream per address: the stalled stream's place is freed only when the server drops it.
      liveLimits: { maxChatPerMinute: 100_000, maxStreamsPerAddress: 1 },
      sse: { heartbeatMs: 200, maxUnsentBytes: 64 * 1024 * 1024 },
    });
    const listener = await server.ask<JoinResponse>('log 1000');
    const talker = await server.ask<JoinResponse>('join Other');
    const port = server.port;
    // The replay fills the stream (socket buffers or the flow-control window), then waits for a drain.
    expect((await openUnread(transport, port, listener, '127.0.0.2', new Sessions())).status).toBe(200);
    expect((await openUnread(transport, port, talker, '127.0.0.2', new Sessions())).status).toBe(429);
    await expect
      .poll(async () => (await openUnread(transport, port, talker, '127.0.0.2', new Sessions())).status, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(200);
  });
});
