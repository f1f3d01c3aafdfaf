/**
 * The head, request, idle and keep-alive deadlines hold on plain HTTP/1.1, HTTPS/1.1 and HTTP/2,
 * at their own values (Node's checks run every `checkIntervalMs`, not every 30 s): shortened here,
 * the server in its own process. The production values are checked against docs/security.md
 * (Limits and timeouts) in http-limits.test.ts.
 */
import http2 from 'node:http2';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransportLimits } from '../../src/server/http-limits';
import type { JoinResponse } from '../../src/shared/api-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import {
  closedAfter,
  connectHttp1,
  connectHttp2,
  startTransportServer,
  TRANSPORTS,
  type TransportServer,
} from '../support/transport-clients';

const LIMITS: TransportLimits = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 1_200,
  socketIdleTimeoutMs: 2_000,
  keepAliveTimeoutMs: 2_500,
  checkIntervalMs: 100,
  maxConnectionsPerAddress: 100,
  maxConcurrentStreams: 100,
};
/** A deadline is met when the cut comes after it and before it plus one check and some slack. */
const SLACK_MS = 700;
/** Node's HTTP/1.1 server closes an idle keep-alive connection this long after the time it announced. */
const NODE_KEEP_ALIVE_MARGIN_MS = 1_000;
const JOIN_PATH = '/api/v1/meetings/alice/7Q3DSSYV/participants';

function expectCutAt(elapsedMs: number, deadlineMs: number): void {
  expect(elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 50);
  expect(elapsedMs).toBeLessThan(deadlineMs + LIMITS.checkIntervalMs + SLACK_MS);
}

/** Collects what a socket receives until it closes. */
function received(socket: net.Socket): () => string {
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk;
  });
  socket.on('error', () => {});
  return () => text;
}

/** Writes one byte every 100 ms while the connection lasts: a body trickled to hold the server. */
function drip(write: () => boolean): () => void {
  const timer = setInterval(() => {
    if (!write()) clearInterval(timer);
  }, 100);
  return () => clearInterval(timer);
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  let server: TransportServer;
  let port: number;
  beforeAll(async () => {
    server = await startTransportServer(transport, { transport: LIMITS, sse: { heartbeatMs: 60_000 } });
    port = server.port;
  }, 60_000);
  afterAll(() => server?.stop());

  if (transport !== 'http/1.1') {
    it('closes a connection that never starts its TLS handshake, at the head deadline', async () => {
      const socket = connectHttp1('http/1.1', port, '127.0.0.2'); // TCP only: no ClientHello ever
      socket.on('error', () => {});
      const connected = performance.now();
      expectCutAt(await closedAfter(socket, connected), LIMITS.headersTimeoutMs);
    });
  }

  if (transport === 'h2') {
    it('closes a session that opens no stream within the head deadline', async () => {
      const session = connectHttp2(port, '127.0.0.2');
      const connected = performance.now();
      expectCutAt(await closedAfter(session, connected), LIMITS.headersTimeoutMs);
    });

    it('answers 408 to a body dripped 1 byte every 100 ms at the request deadline', async () => {
      const session = connectHttp2(port, '127.0.0.2');
      const started = performance.now();
      const stream = session.request({
        ':method': 'POST',
        ':path': JOIN_PATH,
        'content-type': 'application/json',
        'content-length': '1000',
      });
      stream.on('error', () => {});
      const stop = drip(() => !stream.closed && stream.write('{'));
      const status = new Promise<number>((resolve) =>
        stream.once('response', (headers) => resolve(Number(headers[':status']))),
      );
      const cut = await closedAfter(stream, started);
      stop();
      expect(await status).toBe(408);
      expectCutAt(cut, LIMITS.requestTimeoutMs);
      session.destroy();
    });

    it('answers a refused upload whole, then resets its stream with NO_ERROR instead of waiting for the body', async () => {
      const session = connectHttp2(port, '127.0.0.2');
      const stream = session.request({
        ':method': 'POST',
        ':path': TELEMETRY_PATH,
        'content-type': 'text/plain',
        'content-length': '60000',
      });
      stream.on('error', () => {});
      stream.write('{"v":1,'); // and the rest never comes: telemetry is off, so it is not wanted
      const status = new Promise<number>((resolve) =>
        stream.once('response', (headers) => resolve(Number(headers[':status']))),
      );
      let body = '';
      stream.on('data', (chunk) => {
        body += chunk;
      });
      await new Promise((resolve) => stream.once('close', resolve));
      expect(await status).toBe(403);
      expect(JSON.parse(body)).toHaveProperty('code');
      // NO_ERROR: reset by the server once its answer is out (RFC 9113, 8.1), so the client stops
      // sending. Left waiting, the stream would be cut by the request deadline with CANCEL.
      expect(stream.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
      session.destroy();
    });

    it('keeps an idle session for the keep-alive (longer than the idle timeout), then closes it', async () => {
      const session = connectHttp2(port, '127.0.0.2');
      const stream = session.request({ ':path': '/healthz' });
      stream.resume();
      const answered = await new Promise<number>((resolve) => stream.once('close', () => resolve(performance.now())));
      expectCutAt(await closedAfter(session, answered), LIMITS.keepAliveTimeoutMs);
    });

    it('closes an event stream with nothing moving at the idle timeout', async () => {
      const who = await server.ask<JoinResponse>('join Quiet');
      const session: http2.ClientHttp2Session = connectHttp2(port, '127.0.0.2');
      const stream = session.request({
        ':path': `/api/v1/participants/${who.participantId}/events?token=${who.token}`,
      });
      stream.on('error', () => {});
      stream.resume();
      // The snapshot and retry arrive at once; then the stream is quiet (heartbeat: 60 s here).
      await new Promise((resolve) => stream.once('data', resolve));
      const opened = performance.now();
      expectCutAt(await closedAfter(stream, opened), LIMITS.socketIdleTimeoutMs);
      session.destroy();
    });
    return;
  }

  it('answers 408 to a head that never ends, at the head deadline', async () => {
    const socket = connectHttp1(transport, port, '127.0.0.2');
    const connected = performance.now();
    const text = received(socket);
    socket.write(`POST ${JOIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    const cut = await closedAfter(socket, connected);
    expect(text()).toMatch(/^HTTP\/1\.1 408 /);
    expectCutAt(cut, LIMITS.headersTimeoutMs);
  });

  it('answers 408 to a body dripped 1 byte every 100 ms at the request deadline', async () => {
    const socket = connectHttp1(transport, port, '127.0.0.2');
    const started = performance.now();
    const text = received(socket);
    socket.write(
      `POST ${JOIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
    );
    const stop = drip(() => !socket.destroyed && socket.write('{'));
    const cut = await closedAfter(socket, started);
    stop();
    expect(text()).toMatch(/^HTTP\/1\.1 408 /);
    expectCutAt(cut, LIMITS.requestTimeoutMs);
  });

  it('cuts every one of several slow connections open at once, each at its deadline', { timeout: 20_000 }, async () => {
    const started = performance.now();
    const heads = Array.from({ length: 3 }, () => {
      const socket = connectHttp1(transport, port, '127.0.0.2');
      socket.on('error', () => {});
      socket.resume(); // a socket not read never sees its end, nor its 'close'
      socket.write(`POST ${JOIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      return closedAfter(socket, started);
    });
    const bodies = Array.from({ length: 3 }, () => {
      const socket = connectHttp1(transport, port, '127.0.0.2');
      socket.on('error', () => {});
      socket.write(
        `POST ${JOIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      );
      socket.resume();
      const stop = drip(() => !socket.destroyed && socket.write('{'));
      return closedAfter(socket, started).finally(stop);
    });
    const headCuts = await Promise.all(heads);
    const bodyCuts = await Promise.all(bodies);
    for (const cut of headCuts) expectCutAt(cut, LIMITS.headersTimeoutMs);
    for (const cut of bodyCuts) expectCutAt(cut, LIMITS.requestTimeoutMs);
  });

  it('keeps an idle keep-alive connection for the keep-alive (longer than the idle timeout)', async () => {
    const socket = connectHttp1(transport, port, '127.0.0.2');
    socket.on('error', () => {});
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const head = await new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
    const answered = performance.now();
    expect(head.toLowerCase()).toContain(`keep-alive: timeout=${Math.floor(LIMITS.keepAliveTimeoutMs / 1000)}`);
    expectCutAt(await closedAfter(socket, answered), LIMITS.keepAliveTimeoutMs + NODE_KEEP_ALIVE_MARGIN_MS);
  });

  it('closes an event stream with nothing moving at the idle timeout', async () => {
    const who = await server.ask<JoinResponse>('join Quiet');
    const socket = connectHttp1(transport, port, '127.0.0.2');
    socket.on('error', () => {});
    socket.write(
      `GET /api/v1/participants/${who.participantId}/events?token=${who.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    );
    await new Promise((resolve) => socket.once('data', resolve));
    const opened = performance.now();
    expectCutAt(await closedAfter(socket, opened), LIMITS.socketIdleTimeoutMs);
  });
});
