/**
 * Event streams against raw sockets that never read: replay follows backpressure (300 idle
 * streams replaying a long log cost well under 100 MB), a live stream that falls too far behind
 * is closed, a stalled peer is dropped by the heartbeat, and one address holds a bounded number.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../src/server/app';
import type { JoinResponse } from '../../src/shared/api-schema';
import { postgresEngine } from '../support/live-engines';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
let port = 0;
let serial = 0;
const sockets: net.Socket[] = [];
/** The live meetings behind the app: in memory (the app's own), or a PostgreSQL node. */
const pg = postgresEngine();
let engine: 'memory' | 'postgres' = 'memory';
beforeAll(() => pg.setUp());
afterAll(() => pg.tearDown());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await t?.close();
  t = undefined;
  await pg.reset();
});

async function start(options: Partial<AppOptions>): Promise<TestApp> {
  const live = engine === 'postgres' ? await pg.openNode(options.liveLimits ?? {}, 'node-a') : undefined;
  t = await startTestApp({ rateLimitPerMinute: 1_000_000, ...options, live });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
  return t;
}

async function join(app: TestApp['app'], displayName: string): Promise<JoinResponse> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: { displayName },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as JoinResponse;
}

async function chat(app: TestApp['app'], who: JoinResponse, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await app.inject({
      method: 'POST',
      // Spread over addresses: the chat route's own per-address limit is not what is tested here.
      remoteAddress: `127.1.${i % 100}.1`,
      url: `/api/v1/participants/${who.participantId}/chat`,
      headers: { host: '127.0.0.1', authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
      payload: { text: `${i} ${'語'.repeat(1990)}`, clientMessageId: `bulk-${who.participantId}-${i}-${serial++}` },
    });
    expect(response.statusCode).toBe(201);
  }
}

interface RawStream {
  socket: net.Socket;
  /** The first bytes (status line and headers) arrived; the socket is paused after them. */
  head: Promise<string>;
  closed: Promise<void>;
}

/** Opens an event stream and stops reading after the first chunk, like a client that went idle. */
function openIdleStream(who: JoinResponse, lastEventId = 0, localAddress = '127.0.0.1'): RawStream {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  const head = new Promise<string>((resolve) => {
    socket.once('data', (chunk) => {
      socket.pause();
      resolve(String(chunk));
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `GET /api/v1/participants/${who.participantId}/events?token=${who.token}&lastEventId=${lastEventId} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  );
  return { socket, head, closed };
}

describe.each(['memory', 'postgres'] as const)('live in %s', (name) => {
  beforeAll(() => {
    engine = name;
  });

  it('300 idle streams replaying a long log cost well under 100 MB', { timeout: 180_000 }, async () => {
    const { app } = await start({
      liveLimits: { maxStreamsPerParticipant: 1000, maxChatPerMinute: 100_000 },
      // 300 connections from one address: past the per-address connection cap (connection-cap.ts).
      transport: { maxConnectionsPerAddress: 1000 },
    });
    const talker = await join(app, 'Talker');
    const listener = await join(app, 'Listener');
    await chat(app, talker, 1000); // the listener's log: 1,000 events of ~6 KB, more than a socket's kernel buffers
    const before = process.memoryUsage().rss;
    const streams = Array.from({ length: 300 }, () => openIdleStream(listener));
    const heads = await Promise.all(streams.map((s) => s.head));
    for (const head of heads) expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    expect(grown).toBeLessThan(100);
  });

  it('closes a live stream whose unsent bytes pass the limit; the client resumes', { timeout: 180_000 }, async () => {
    const { app } = await start({ liveLimits: { maxChatPerMinute: 100_000 }, sse: { maxUnsentBytes: 64 * 1024 } });
    const talker = await join(app, 'Talker');
    const listener = await join(app, 'Listener');
    const stream = openIdleStream(listener);
    await stream.head;
    let closed = false;
    void stream.closed.then(() => {
      closed = true;
    });
    // ~6 KB per message; kernel buffers take some MB, then Node's own buffer passes 64 KB.
    for (let i = 0; i < 100 && !closed; i++) await chat(app, talker, 20);
    stream.socket.resume();
    await stream.closed;
    // Nothing is lost: a new stream from the start still has every message.
    const again = openIdleStream(listener);
    expect(await again.head).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('drops a peer that stopped reading, found by the heartbeat', { timeout: 60_000 }, async () => {
    const { app } = await start({
      // One stream per address: the dead stream's place is freed only when the server drops it.
      liveLimits: { maxChatPerMinute: 100_000, maxStreamsPerAddress: 1 },
      sse: { heartbeatMs: 200, maxUnsentBytes: 64 * 1024 * 1024 },
    });
    const talker = await join(app, 'Talker');
    const listener = await join(app, 'Listener');
    await chat(app, talker, 1000);
    // The replay fills the socket, then waits for a drain that never comes.
    const stream = openIdleStream(listener);
    expect(await stream.head).toMatch(/^HTTP\/1\.1 200 /);
    await expect
      .poll(
        async () => {
          const probe = openIdleStream(talker);
          const head = await probe.head;
          probe.socket.destroy();
          return head.slice(0, 12);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('HTTP/1.1 200');
  });

  it('bounds the open streams of one address; another address is not affected', async () => {
    const { app } = await start({ liveLimits: { maxStreamsPerAddress: 3 } });
    const people = await Promise.all(['A', 'B', 'C', 'D'].map((name) => join(app, name)));
    const open = people.slice(0, 3).map((who) => openIdleStream(who));
    for (const s of open) expect(await s.head).toMatch(/^HTTP\/1\.1 200 /);
    const refused = openIdleStream(people[3] as JoinResponse);
    expect(await refused.head).toMatch(/^HTTP\/1\.1 429 /);
    const elsewhere = openIdleStream(people[3] as JoinResponse, 0, '127.0.0.2');
    expect(await elsewhere.head).toMatch(/^HTTP\/1\.1 200 /);
    // A closed stream frees its place.
    open[0]?.socket.destroy();
    await expect
      .poll(async () => {
        const retry = openIdleStream(people[0] as JoinResponse);
        const head = await retry.head;
        if (!head.startsWith('HTTP/1.1 200')) retry.socket.destroy();
        return head.slice(0, 12);
      })
      .toBe('HTTP/1.1 200');
  });
});
