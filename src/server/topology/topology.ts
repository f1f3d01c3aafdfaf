/** Sites, pools and the hostnames each pool serves. */
import type { Sql } from '../sql/sql';

export interface Pool {
  fqdn: string;
  site: string;
}

/** The pool serving a host name (a trailing dot ignored): one indexed read, run on every request. */
export function poolForHost(sql: Sql, hostname: string): Promise<Pool | undefined> {
  return sql.get<Pool>('SELECT p.fqdn, p.site FROM hosts h JOIN pools p ON p.fqdn = h.pool WHERE h.hostname = ?', [
    hostname.replace(/\.$/, ''),
  ]);
}

export function findPool(sql: Sql, fqdn: string): Promise<Pool | undefined> {
  return sql.get<Pool>('SELECT fqdn, site FROM pools WHERE fqdn = ?', [fqdn]);
}

export async function findSite(sql: Sql, name: string): Promise<string | undefined> {
  return (await sql.get<{ name: string }>('SELECT name FROM sites WHERE name = ?', [name]))?.name;
}

export function listPools(sql: Sql): Promise<Pool[]> {
  return sql.all<Pool>('SELECT fqdn, site FROM pools ORDER BY fqdn');
}

/** The pool's web hosts in the order they were given (the first is the one links use). */
export async function hostsOf(sql: Sql, fqdn: string): Promise<string[]> {
  return (await sql.all<{ hostname: string }>('SELECT hostname FROM hosts WHERE pool = ? ORDER BY rowid', [fqdn])).map(
    (r) => r.hostname,
  );
}

export async function addSite(sql: Sql, name: string): Promise<void> {
  await sql.run('INSERT INTO sites (name) VALUES (?) ON CONFLICT DO NOTHING', [name]);
}

export async function addPool(sql: Sql, pool: Pool, hostnames: string[]): Promise<void> {
  await sql.run('INSERT INTO pools (fqdn, site) VALUES (?, ?) ON CONFLICT DO NOTHING', [pool.fqdn, pool.site]);
  for (const host of hostnames)
    await sql.run('INSERT INTO hosts (hostname, pool) VALUES (?, ?) ON CONFLICT DO NOTHING', [host, pool.fqdn]);
}
