/**
 * A throwaway coturn (Debian's `turnserver`) for the flows that relay a call: its config written to
 * a temp folder, listening on loopback only (UDP and TCP on one free port, no TLS/DTLS, no admin
 * CLI), TURN REST API credentials (`use-auth-secret` + `static-auth-secret`, what the service's
 * TURN_SECRET makes credentials for), relay addresses on 127.0.0.1 from a small port range, and
 * its log in the folder. Started when a STUN Binding request is answered; `stop` kills it and
 * removes the folder.
 *
 * Loopback peers: coturn refuses to relay to 127.x.x.x by default (a TURN server must not be a way
 * into its own host). Every page of a test runs on this machine, so the peers' relay addresses are
 * on 127.0.0.1: `allow-loopback-peers` lifts the default and `allowed-peer-ip` names the one
 * address allowed. A production coturn keeps the default.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './postgres';

export interface Coturn {
  /** The TURN/STUN port (UDP and TCP) on 127.0.0.1. */
  port: number;
  /** The `static-auth-secret` it checks credentials against. */
  secret: string;
  realm: string;
  /** The IceServers parameter value naming it (UDP and TCP). */
  iceServers: string;
  /** Its log so far (the allocations and permissions it made, the credentials it refused). */
  log(): string;
  stop(): Promise<void>;
}

export const COTURN_HELP =
  'coturn is needed for the TURN flow: install the Debian package `coturn` (apt-get install -y coturn).';

export function findTurnserver(): string | undefined {
  return ['/usr/bin/turnserver', '/usr/sbin/turnserver'].find((file) => fs.existsSync(file));
}

/** The lines of turnserver.conf for the test's coturn. */
export function coturnConfig(options: {
  port: number;
  secret: string;
  realm: string;
  minPort: number;
  maxPort: number;
  dir: string;
}): string {
  return [
    `listening-ip=127.0.0.1`,
    `listening-port=${options.port}`,
    `relay-ip=127.0.0.1`,
    `min-port=${options.minPort}`,
    `max-port=${options.maxPort}`,
    'fingerprint',
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${options.realm}`,
    'no-tls',
    'no-dtls',
    'no-cli',
    'no-multicast-peers',
    // The test's peers are on this machine (see the header); a production coturn keeps the default.
    'allow-loopback-peers',
    'allowed-peer-ip=127.0.0.1',
    `userdb=${path.join(options.dir, 'turndb')}`,
    `pidfile=${path.join(options.dir, 'turnserver.pid')}`,
    `log-file=${path.join(options.dir, 'turnserver.log')}`,
    'simple-log',
    // Session lines (allocations, permissions, refused credentials) are logged only when verbose.
    'verbose',
    'no-stdout-log',
    '',
  ].join('\n');
}

/** One STUN Binding request to 127.0.0.1:port over UDP; true when a Binding success answers it. */
function stunAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const transaction = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2); // no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    transaction.copy(request, 8);
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', (message) => {
      if (message.length >= 20 && message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) {
        done(true);
      }
    });
    socket.on('error', () => done(false));
    socket.send(request, port, '127.0.0.1');
  });
}

/** Starts coturn; `secret` defaults to a random one. */
export async function startCoturn(options: { secret?: string; realm?: string } = {}): Promise<Coturn> {
  const turnserver = findTurnserver();
  if (!turnserver) throw new Error(COTURN_HELP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-coturn-'));
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const realm = options.realm ?? 'turn.contoso.test';
  const port = await freePort();
  // A range of its own per start (coturn skips a relay port another process holds).
  const minPort = 40_000 + Math.floor(Math.random() * 180) * 100;
  const file = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(file, coturnConfig({ port, secret, realm, minPort, maxPort: minPort + 99, dir }), { mode: 0o600 });
  const logFile = path.join(dir, 'turnserver.log');
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  const child: ChildProcess = spawn(turnserver, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await closed;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await stunAnswers(port, 250))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = `coturn did not start: ${stderr}${log()}`;
      await stop();
      throw new Error(why);
    }
  }
  return {
    port,
    secret,
    realm,
    iceServers: `turn:127.0.0.1:${port}?transport=udp, turn:127.0.0.1:${port}?transport=tcp`,
    log,
    stop,
  };
}
