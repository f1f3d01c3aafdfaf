/**
 * Every setting the pool web service reads from its environment, read once, here.
 * PORT (8080), HOST (127.0.0.1), DATA_DIR (./var), DIST_DIR (./dist),
 * TELEMETRY_RETENTION_DAYS (30: stored telemetry older than this is purged),
 * LOG_LEVEL (info), MIN_FREE_DISK_MB (512: below this much free space on DATA_DIR's file system the
 * telemetry ingest stores nothing and answers 507),
 * TLS_CERT_FILE + TLS_KEY_FILE (HTTPS, HTTP/2), TRUST_PROXY (addresses or CIDRs of reverse proxies),
 * METRICS_PORT (unset: no metrics), METRICS_HOST (127.0.0.1),
 * TURN_SECRET (none: coturn's static-auth-secret; TURN credentials for pages are made from it),
 * DATABASE_URL (none: postgres://user:password@host:port/database puts the whole store in that
 * PostgreSQL instead of DATA_DIR's SQLite file; never logged with its password),
 * NODE_NAME (host name:PORT: this node's name in logs and metrics).
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type LogLevel, parseLogLevel } from '../http/logging';
import { DEFAULT_INGEST_LIMITS } from '../telemetry/ingest-limits';
import { parseRetentionDays } from '../telemetry/retention';

function parseMinFreeBytes(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_INGEST_LIMITS.minFreeBytes;
  if (!/^\d{1,7}$/.test(raw)) throw new Error(`MIN_FREE_DISK_MB must be a whole number of megabytes, not "${raw}"`);
  return Number(raw) * 1024 * 1024;
}

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  distDir: string;
  telemetryRetentionDays: number;
  logLevel: LogLevel;
  minFreeBytes: number;
  tls?: { certFile: string; keyFile: string };
  trustProxy: string[];
  metrics?: { port: number; host: string };
  turnSecret?: string;
  /** postgres://…: the store is there (sql/store.ts); undefined: SQLite in dataDir. */
  databaseUrl?: string;
  nodeName: string;
}

// proxy-addr's names for whole ranges, as Fastify's trustProxy takes them.
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = entries.find((entry) => !isAddressOrCidr(entry));
  if (bad !== undefined)
    throw new Error(`TRUST_PROXY takes addresses or CIDRs of your proxies (e.g. 127.0.0.1,10.0.0.0/8), not "${bad}"`);
  return entries;
}

function parsePort(name: string, raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new Error(`${name} must be a whole number from 0 to 65535, not "${raw}"`);
  return port;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = env.PORT === undefined ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || 'var'),
    distDir: path.resolve(env.DIST_DIR || 'dist'),
    telemetryRetentionDays: parseRetentionDays(env.TELEMETRY_RETENTION_DAYS),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    minFreeBytes: parseMinFreeBytes(env.MIN_FREE_DISK_MB),
    ...tlsOf(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    ...(env.METRICS_PORT
      ? { metrics: { port: parsePort('METRICS_PORT', env.METRICS_PORT), host: env.METRICS_HOST || '127.0.0.1' } }
      : {}),
    turnSecret: env.TURN_SECRET || undefined,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    nodeName: parseNodeName(env.NODE_NAME, port),
  };
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const url = raw.trim();
  if (!/^postgres(ql)?:\/\/[^\s]+$/.test(url))
    throw new Error('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:port/database');
  return url;
}

function parseNodeName(raw: string | undefined, port: number): string {
  if (raw === undefined || raw.trim() === '') return `${os.hostname()}:${port}`;
  const name = raw.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name.length > 100 || /[\u0000-\u001f\u007f]/.test(name))
    throw new Error('NODE_NAME must be at most 100 characters, with no control characters');
  return name;
}

function tlsOf(env: NodeJS.ProcessEnv): Pick<Settings, 'tls'> {
  const certFile = env.TLS_CERT_FILE;
  const keyFile = env.TLS_KEY_FILE;
  if (!certFile && !keyFile) return {};
  if (!certFile || !keyFile) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither');
  return { tls: { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) } };
}
