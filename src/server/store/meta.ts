/**
 * Facts about the store itself: whether `npm start` made it for the demo or an admin made it for
 * production (`init`, `npm run serve`), and the port the demo server last listened on, so the admin
 * CLI prints working demo links without being told PORT again.
 */
import type { Db } from '../db';

export type StoreKind = 'demo' | 'production';

function read(db: Db, name: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as { value: string } | undefined)?.value;
}

function write(db: Db, name: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  ).run(name, value);
}

/** Stores made before this was recorded were all demo stores (every verb seeded them). */
export function storeKind(db: Db): StoreKind {
  return read(db, 'kind') === 'production' ? 'production' : 'demo';
}

/** Recorded once, when the store is made. */
export function markStoreKind(db: Db, kind: StoreKind): void {
  if (read(db, 'kind') === undefined) write(db, 'kind', kind);
}

export function isProductionStore(db: Db): boolean {
  return read(db, 'kind') === 'production';
}

export function recordDemoPort(db: Db, port: number): void {
  write(db, 'demo_port', String(port));
}

export function demoPort(db: Db): number | undefined {
  const raw = read(db, 'demo_port');
  return raw === undefined ? undefined : Number(raw);
}
