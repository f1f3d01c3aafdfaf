/**
 * Facts about the store itself: whether `npm start` made it for the demo or an admin made it for
 * production (`init`, `npm run serve`), and the port the demo server last listened on, so the admin
 * CLI prints working demo links without being told PORT again.
 */
import type { Sql } from '../sql/sql';

export type StoreKind = 'demo' | 'production';

async function read(sql: Sql, name: string): Promise<string | undefined> {
  return (await sql.get<{ value: string }>('SELECT value FROM meta WHERE name = ?', [name]))?.value;
}

async function write(sql: Sql, name: string, value: string): Promise<void> {
  await sql.run(
    'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    [name, value],
  );
}

/** Stores made before this was recorded were all demo stores (every verb seeded them). */
export async function storeKind(sql: Sql): Promise<StoreKind> {
  return (await read(sql, 'kind')) === 'production' ? 'production' : 'demo';
}

/** Recorded once, when the store is made. */
export async function markStoreKind(sql: Sql, kind: StoreKind): Promise<void> {
  await sql.run('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', ['kind', kind]);
}

/** Whether the store says what made it (every PostgreSQL store does: made by init, start or serve). */
export async function storeKindRecorded(sql: Sql): Promise<boolean> {
  return (await read(sql, 'kind')) !== undefined;
}

export async function isProductionStore(sql: Sql): Promise<boolean> {
  return (await read(sql, 'kind')) === 'production';
}

export async function recordDemoPort(sql: Sql, port: number): Promise<void> {
  await write(sql, 'demo_port', String(port));
}

export async function demoPort(sql: Sql): Promise<number | undefined> {
  const raw = await read(sql, 'demo_port');
  return raw === undefined ? undefined : Number(raw);
}
