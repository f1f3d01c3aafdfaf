/**
 * Every setting the pool web service reads from its environment, read once, here.
 * PORT (8080), HOST (127.0.0.1), DATA_DIR (./var), DIST_DIR (./dist),
 * TELEMETRY_RETENTION_DAYS (30: stored telemetry older than this is purged),
 * TURN_SECRET (none: coturn's static-auth-secret; TURN credentials for pages are made from it).
 */
import path from 'node:path';
import { parseRetentionDays } from './telemetry/retention';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  distDir: string;
  telemetryRetentionDays: number;
  turnSecret?: string;
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
    turnSecret: env.TURN_SECRET || undefined,
  };
}
