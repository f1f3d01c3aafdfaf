/**
 * A real app in its own process, so what the tests measure (RSS, open descriptors) is the
 * server's alone: plain HTTP, or TLS with HTTP/2 and HTTP/1.1 (the test-only certificate). Usage:
 * tsx test/support/transport-server.ts '<options JSON>'; prints `{"port":N}` once listening, then
 * answers one JSON line per stdin line:
 *   stats                  → { rss, fds } (bytes; entries of /proc/self/fd)
 *   log <n>                → a Listener's JoinResponse after a Talker sent n chat messages of ~6 KB
 *   join <name>            → a JoinResponse
 * Ends when stdin closes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AppOptions } from '../../src/server/app';
import type { JoinResponse } from '../../src/shared/api-schema';
import { startTestApp } from './security-app';

export interface TransportServerOptions extends Pick<AppOptions, 'transport' | 'liveLimits' | 'sse' | 'trustProxy'> {
  tls?: boolean;
}

const TLS_DIR = path.resolve(import.meta.dirname, '../e2e/tls');
const options = JSON.parse(process.argv[2] ?? '{}') as TransportServerOptions;
const t = await startTestApp({
  rateLimitPerMinute: 1_000_000,
  transport: options.transport,
  liveLimits: options.liveLimits,
  sse: options.sse,
  trustProxy: options.trustProxy,
  tls: options.tls
    ? {
        key: fs.readFileSync(path.join(TLS_DIR, 'test-only.key')),
        cert: fs.readFileSync(path.join(TLS_DIR, 'test-only.crt')),
      }
    : undefined,
});
await t.app.listen({ port: 0, host: '127.0.0.1' });

async function join(displayName: string): Promise<JoinResponse> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: { displayName },
  });
  if (response.statusCode !== 201) throw new Error(`join answered ${response.statusCode}`);
  return response.json() as JoinResponse;
}

let serial = 0;
async function log(count: number): Promise<JoinResponse> {
  const talker = await join('Talker');
  const listener = await join('Listener');
  for (let i = 0; i < count; i++) {
    const response = await t.app.inject({
      method: 'POST',
      // Spread over addresses: the chat route's own per-address limit is not what is tested here.
      remoteAddress: `127.1.${i % 100}.1`,
      url: `/api/v1/participants/${talker.participantId}/chat`,
      headers: { host: '127.0.0.1', authorization: `Bearer ${talker.token}`, 'content-type': 'application/json' },
      payload: { text: `${i} ${'語'.repeat(1990)}`, clientMessageId: `bulk-${i}-${serial++}` },
    });
    if (response.statusCode !== 201) throw new Error(`chat answered ${response.statusCode}`);
  }
  return listener;
}

const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [command, arg = ''] = line.trim().split(' ');
    if (command === 'stats') {
      (globalThis as { gc?: () => void }).gc?.();
      answer({ ...process.memoryUsage(), fds: fs.readdirSync('/proc/self/fd').length });
    } else if (command === 'log') void log(Number(arg)).then(answer);
    else if (command === 'join') void join(arg).then(answer);
  })
  .on('close', () => {
    // Not app.close(): it would wait for the test's slow clients. The process ends with them.
    fs.rmSync(t.root, { recursive: true, force: true });
    process.exit(0);
  });
answer({ port: (t.app.server.address() as { port: number }).port });
