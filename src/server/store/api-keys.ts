/**
 * Per-pool keys of the scheduling API. A key is 32 random bytes shown once; only its SHA-256 is
 * stored (a key has full entropy, so a fast hash cannot be brute-forced), and a presented key is
 * found by its hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { statement } from '../statements';

export interface ApiKeyInfo {
  pool: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const KEY_PREFIX = 'mlk_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function newApiKeyValue(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function insertApiKey(db: Db, pool: string, name: string, key: string, now: number): void {
  db.prepare('INSERT INTO api_keys (pool, name, hash, created_at) VALUES (?, ?, ?, ?)').run(
    pool,
    name,
    hashApiKey(key),
    now,
  );
}

export function findApiKey(db: Db, pool: string, name: string): ApiKeyInfo | undefined {
  const row = db
    .prepare('SELECT pool, name, created_at, last_used_at FROM api_keys WHERE pool = ? AND name = ?')
    .get(pool, name) as { pool: string; name: string; created_at: number; last_used_at: number | null } | undefined;
  return row && { pool: row.pool, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

export function listApiKeys(db: Db, pool?: string): ApiKeyInfo[] {
  const rows = db
    .prepare(
      `SELECT pool, name, created_at, last_used_at FROM api_keys ${pool === undefined ? '' : 'WHERE pool = ?'} ORDER BY pool, name`,
    )
    .all(...(pool === undefined ? [] : [pool])) as {
    pool: string;
    name: string;
    created_at: number;
    last_used_at: number | null;
  }[];
  return rows.map((r) => ({ pool: r.pool, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export function deleteApiKey(db: Db, pool: string, name: string): boolean {
  return db.prepare('DELETE FROM api_keys WHERE pool = ? AND name = ?').run(pool, name).changes > 0;
}

/** The pool and name of a presented key, or undefined; notes when it was last used. */
export function authenticateApiKey(db: Db, key: string, now: number): { pool: string; name: string } | undefined {
  if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
  const hash = hashApiKey(key);
  const row = statement(db, 'SELECT pool, name FROM api_keys WHERE hash = ?').get(hash) as
    | { pool: string; name: string }
    | undefined;
  if (row) statement(db, 'UPDATE api_keys SET last_used_at = ? WHERE hash = ?').run(now, hash);
  return row;
}
