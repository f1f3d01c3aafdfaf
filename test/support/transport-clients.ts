/**
 * The test side of transport-server.ts: starts it, asks it for its RSS and descriptors, and opens
 * connections to it over the three transports from a chosen loopback address (127.0.0.2, 127.0.0.3...
 * stand in for other clients).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import tls from 'node:tls';
import type { TransportServerOptions } from './transport-server';

export type Transport = 'http/1.1' | 'https/1.1' | 'h2';
export const TRANSPORTS: Transport[] = ['http/1.1', 'https/1.1', 'h2'];

export interface TransportServer {
  port: number;
  child: ChildProcess;
  ask<T>(command: string): Promise<T>;
  stats(): Promise<{ rss: number; fds: number }>;
  stop(): Promise<void>;
}

export async function startTransportServer(
  transport: Transport,
  options: Omit<TransportServerOptions, 'tls'> = {},
): Promise<TransportServer> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.resolve(import.meta.dirname, 'transport-server.ts'),
      JSON.stringify({ ...options, tls: transport !== 'http/1.1' }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`transport-server exited (${code})`))),
  );
  exited.catch(() => {});
  const ask = async <T>(command: string): Promise<T> => {
    const line = next();
    child.stdin?.write(`${command}\n`);
    return JSON.parse(await Promise.race([line, exited])) as T;
  };
  const { port } = JSON.parse(await Promise.race([next(), exited])) as { port: number };
  return {
    port,
    child,
    ask,
    stats: () => ask('stats'),
    stop: () => {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      return gone;
    },
  };
}

/** A TCP connection speaking HTTP/1.1, in clear or in TLS, from `localAddress`. */
export function connectHttp1(transport: Transport, port: number, localAddress = '127.0.0.1'): net.Socket {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  if (transport === 'http/1.1') return socket;
  return tls.connect({ socket, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
}

/** An HTTP/2 session from `localAddress` (the test-only certificate is accepted). */
export function connectHttp2(port: number, localAddress = '127.0.0.1'): http2.ClientHttp2Session {
  const session = http2.connect(`https://127.0.0.1:${port}`, {
    createConnection: () =>
      tls.connect({
        socket: net.connect({ port, host: '127.0.0.1', localAddress }),
        rejectUnauthorized: false,
        ALPNProtocols: ['h2'],
      }),
  });
  session.on('error', () => {}); // a session the server closes is what several tests wait for
  return session;
}

/** Resolves once the socket or session is closed, with the milliseconds since `from`. */
export function closedAfter(target: { once(event: 'close', listener: () => void): unknown }, from: number) {
  return new Promise<number>((resolve) => target.once('close', () => resolve(performance.now() - from)));
}
