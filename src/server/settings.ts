/**
 * Every setting the pool web service reads from its environment, read once, here.
 * PORT (8080), HOST (127.0.0.1), DATA_DIR (./var), DIST_DIR (./dist),
 * TELEMETRY_RETENTION_DAYS (30: stored telemetry older than this is purged),
 * LOG_LEVEL (info), MIN_FREE_DISK_MB (512: below this much free space on DATA_DIR's file system the
 * telemetry ingest stores nothing and answers 507).
 */
import path from 'node:path';
import { type LogLevel, parseLogLevel } from './logging';
import { DEFAULT_INGEST_LIMITS } from './telemetry/ingest-limits';
import { parseRetentionDays } from './telemetry/retention';

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
  };
}
