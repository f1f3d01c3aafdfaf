/**
 * Per-pool keys of the scheduling API. A key is 32 random bytes shown once; only its SHA-256 is
 * stored (a key has full entropy, so a fast hash cannot be brute-forced), and a presented key is
 * found by its hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../sql/sql';

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

interface KeyRow {
  pool: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

const fromRow = (r: KeyRow): ApiKeyInfo => ({
  pool: r.pool,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function insertApiKey(sql: Sql, pool: string, name: string, key: string, now: number): Promise<void> {
  await sql.run('INSERT INTO api_keys (pool, name, hash, created_at) VALUES (?, ?, ?, ?)', [
    pool,
    name,
    hashApiKey(key),
    now,
  ]);
}

export async function findApiKey(sql: Sql, pool: string, name: string): Promise<ApiKeyInfo | undefined> {
  const row = await sql.get<KeyRow>(
    'SELECT pool, name, created_at, last_used_at FROM api_keys WHERE pool = ? AND name = ?',
    [pool, name],
  );
  return row && fromRow(row);
}

export async function listApiKeys(sql: Sql, pool?: string): Promise<ApiKeyInfo[]> {
  const rows = await sql.all<KeyRow>(
    `SELECT pool, name, created_at, last_used_at FROM api_keys ${pool === undefined ? '' : 'WHERE pool = ?'} ORDER BY pool, name`,
    pool === undefined ? [] : [pool],
  );
  return rows.map(fromRow);
}

export async function deleteApiKey(sql: Sql, pool: string, name: string): Promise<boolean> {
  return (await sql.run('DELETE FROM api_keys WHERE pool = ? AND name = ?', [pool, name])).changes > 0;
}

/**
 * The pool and name of a presented key, or undefined: a read, never a write (the caller notes the
 * use through api-key-use.ts, outside the request path), so it answers even while another
 * connection holds the store's write lock.
 */
export async function authenticateApiKey(
  sql: Sql,
  key: string,
): Promise<{ pool: string; name: string; hash: string } | undefined> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
  const hash = hashApiKey(key);
  const row = await sql.get<{ pool: string; name: string }>('SELECT pool, name FROM api_keys WHERE hash = ?', [hash]);
  return row && { pool: row.pool, name: row.name, hash };
}
