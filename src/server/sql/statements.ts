/**
 * Prepared statements cached per database and SQL text. Preparing compiles the SQL; the lookups
 * that run on every request (host → pool, the pool's config) would otherwise pay it each time.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './sqlite-db';

const cache = new WeakMap<Db, Map<string, Statement>>();

export function statement(db: Db, sql: string): Statement {
  let byText = cache.get(db);
  if (!byText) {
    byText = new Map();
    cache.set(db, byText);
  }
  let prepared = byText.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    byText.set(sql, prepared);
  }
  return prepared;
}
