/** Sites, pools and the hostnames each pool serves. */
import type { Db } from './db';
import { statement } from './statements';

export interface Pool {
  fqdn: string;
  site: string;
}

export function poolForHost(db: Db, hostname: string): Pool | undefined {
  return statement(db, 'SELECT p.fqdn, p.site FROM hosts h JOIN pools p ON p.fqdn = h.pool WHERE h.hostname = ?').get(
    hostname.replace(/\.$/, ''),
  ) as Pool | undefined;
}

export function findPool(db: Db, fqdn: string): Pool | undefined {
  return db.prepare('SELECT fqdn, site FROM pools WHERE fqdn = ?').get(fqdn) as Pool | undefined;
}

export function findSite(db: Db, name: string): string | undefined {
  return (db.prepare('SELECT name FROM sites WHERE name = ?').get(name) as { name: string } | undefined)?.name;
}

export function listPools(db: Db): Pool[] {
  return db.prepare('SELECT fqdn, site FROM pools ORDER BY fqdn').all() as Pool[];
}

export function hostsOf(db: Db, fqdn: string): string[] {
  return (
    db.prepare('SELECT hostname FROM hosts WHERE pool = ? ORDER BY rowid').all(fqdn) as { hostname: string }[]
  ).map((r) => r.hostname);
}

export function addSite(db: Db, name: string): void {
  db.prepare('INSERT OR IGNORE INTO sites (name) VALUES (?)').run(name);
}

export function addPool(db: Db, pool: Pool, hostnames: string[]): void {
  db.prepare('INSERT OR IGNORE INTO pools (fqdn, site) VALUES (?, ?)').run(pool.fqdn, pool.site);
  const addHost = db.prepare('INSERT OR IGNORE INTO hosts (hostname, pool) VALUES (?, ?)');
  for (const host of hostnames) addHost.run(host, pool.fqdn);
}
