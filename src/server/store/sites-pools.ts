/**
 * The admin's topology writes: sites, pools, the web hosts each pool serves and the SIP domains
 * whose organizers it hosts. Reads used on every request stay in ../topology.ts.
 */
import type { Db } from '../db';
import { findPool, hostsOf, listPools, type Pool } from '../topology';

export interface PoolDetail extends Pool {
  webHosts: string[];
  sipDomains: string[];
}

export interface SiteDetail {
  name: string;
  pools: PoolDetail[];
}

export function sipDomainsOf(db: Db, fqdn: string): string[] {
  return (
    db.prepare('SELECT domain FROM sip_domains WHERE pool = ? ORDER BY rowid').all(fqdn) as { domain: string }[]
  ).map((r) => r.domain);
}

/** The pool that hosts organizers of this SIP domain, if any. */
export function poolForSipDomain(db: Db, domain: string): Pool | undefined {
  return db
    .prepare('SELECT p.fqdn, p.site FROM sip_domains d JOIN pools p ON p.fqdn = d.pool WHERE d.domain = ?')
    .get(domain) as Pool | undefined;
}

/** The pool a web host belongs to, if any (a host belongs to at most one pool). */
export function poolOfHost(db: Db, hostname: string): string | undefined {
  return (db.prepare('SELECT pool FROM hosts WHERE hostname = ?').get(hostname) as { pool: string } | undefined)?.pool;
}

export function listSites(db: Db): SiteDetail[] {
  const names = (db.prepare('SELECT name FROM sites ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  const pools = listPools(db).map((p) => ({
    ...p,
    webHosts: hostsOf(db, p.fqdn),
    sipDomains: sipDomainsOf(db, p.fqdn),
  }));
  return names.map((name) => ({ name, pools: pools.filter((p) => p.site.toLowerCase() === name.toLowerCase()) }));
}

export function insertSite(db: Db, name: string): void {
  db.prepare('INSERT INTO sites (name) VALUES (?)').run(name);
}

export function deleteSite(db: Db, name: string): void {
  db.prepare('DELETE FROM sites WHERE name = ?').run(name);
}

export function insertPool(db: Db, pool: Pool): void {
  db.prepare('INSERT INTO pools (fqdn, site) VALUES (?, ?)').run(pool.fqdn, pool.site);
}

export function setPoolSite(db: Db, fqdn: string, site: string): void {
  db.prepare('UPDATE pools SET site = ? WHERE fqdn = ?').run(site, fqdn);
}

/** Replaces the pool's web hosts (in the given order: the first is the one links use). */
export function replaceWebHosts(db: Db, fqdn: string, hosts: string[]): void {
  db.prepare('DELETE FROM hosts WHERE pool = ?').run(fqdn);
  const add = db.prepare('INSERT INTO hosts (hostname, pool) VALUES (?, ?)');
  for (const host of hosts) add.run(host, fqdn);
}

export function replaceSipDomains(db: Db, fqdn: string, domains: string[]): void {
  db.prepare('DELETE FROM sip_domains WHERE pool = ?').run(fqdn);
  const add = db.prepare('INSERT INTO sip_domains (domain, pool) VALUES (?, ?)');
  for (const domain of domains) add.run(domain, fqdn);
}

export function deletePool(db: Db, fqdn: string): void {
  db.prepare('DELETE FROM hosts WHERE pool = ?').run(fqdn);
  db.prepare('DELETE FROM sip_domains WHERE pool = ?').run(fqdn);
  db.prepare('DELETE FROM pools WHERE fqdn = ?').run(fqdn);
}

/** What still depends on a pool, as words for the admin ("2 meetings, 4 dial-in numbers"). */
export function poolDependents(db: Db, fqdn: string): string[] {
  const count = (sql: string) => (db.prepare(sql).get(fqdn) as { n: number }).n;
  const found: string[] = [];
  const meetings = count('SELECT COUNT(*) AS n FROM meetings WHERE pool = ?');
  const numbers = count('SELECT COUNT(*) AS n FROM dialin_numbers WHERE pool = ?');
  const keys = count('SELECT COUNT(*) AS n FROM api_keys WHERE pool = ?');
  const docs = count(
    "SELECT COUNT(*) AS n FROM config_documents WHERE identity = 'Service:WebServer:' || ? COLLATE NOCASE",
  );
  if (meetings) found.push(`${meetings} meeting${meetings === 1 ? '' : 's'} (remove-meeting)`);
  if (numbers) found.push(`${numbers} dial-in number${numbers === 1 ? '' : 's'} (remove-dialin-number)`);
  if (keys) found.push(`${keys} API key${keys === 1 ? '' : 's'} (remove-api-key)`);
  if (docs) found.push(`its configuration document Service:WebServer:${fqdn} (remove)`);
  return found;
}

export function siteDependents(db: Db, name: string): string[] {
  const pools = (db.prepare('SELECT fqdn FROM pools WHERE site = ? ORDER BY fqdn').all(name) as { fqdn: string }[]).map(
    (r) => r.fqdn,
  );
  const found: string[] = [];
  if (pools.length) found.push(`pool${pools.length === 1 ? '' : 's'} ${pools.join(', ')} (remove-pool)`);
  const doc = db.prepare("SELECT 1 FROM config_documents WHERE identity = 'Site:' || ? COLLATE NOCASE").get(name);
  if (doc) found.push(`its configuration document Site:${name} (remove)`);
  return found;
}

export { findPool };
