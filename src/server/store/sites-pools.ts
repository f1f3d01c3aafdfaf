/**
 * The admin's topology writes: sites, pools, the web hosts each pool serves and the SIP domains
 * whose organizers it hosts. Reads used on every request stay in ../topology/topology.ts.
 */
import type { Sql } from '../sql/sql';
import { findPool, hostsOf, listPools, type Pool } from '../topology/topology';

export interface PoolDetail extends Pool {
  webHosts: string[];
  sipDomains: string[];
}

export interface SiteDetail {
  name: string;
  pools: PoolDetail[];
}

/** The pool's SIP domains in the order they were given. */
export async function sipDomainsOf(sql: Sql, fqdn: string): Promise<string[]> {
  return (
    await sql.all<{ domain: string }>('SELECT domain FROM sip_domains WHERE pool = ? ORDER BY rowid', [fqdn])
  ).map((r) => r.domain);
}

/** The pool that hosts organizers of this SIP domain, if any. */
export function poolForSipDomain(sql: Sql, domain: string): Promise<Pool | undefined> {
  return sql.get<Pool>('SELECT p.fqdn, p.site FROM sip_domains d JOIN pools p ON p.fqdn = d.pool WHERE d.domain = ?', [
    domain,
  ]);
}

/** The pool a web host belongs to, if any (a host belongs to at most one pool). */
export async function poolOfHost(sql: Sql, hostname: string): Promise<string | undefined> {
  return (await sql.get<{ pool: string }>('SELECT pool FROM hosts WHERE hostname = ?', [hostname]))?.pool;
}

export async function listSites(sql: Sql): Promise<SiteDetail[]> {
  const names = (await sql.all<{ name: string }>('SELECT name FROM sites ORDER BY name')).map((r) => r.name);
  const pools: PoolDetail[] = [];
  for (const p of await listPools(sql)) {
    pools.push({ ...p, webHosts: await hostsOf(sql, p.fqdn), sipDomains: await sipDomainsOf(sql, p.fqdn) });
  }
  return names.map((name) => ({ name, pools: pools.filter((p) => p.site.toLowerCase() === name.toLowerCase()) }));
}

export async function insertSite(sql: Sql, name: string): Promise<void> {
  await sql.run('INSERT INTO sites (name) VALUES (?)', [name]);
}

export async function deleteSite(sql: Sql, name: string): Promise<void> {
  await sql.run('DELETE FROM sites WHERE name = ?', [name]);
}

export async function insertPool(sql: Sql, pool: Pool): Promise<void> {
  await sql.run('INSERT INTO pools (fqdn, site) VALUES (?, ?)', [pool.fqdn, pool.site]);
}

export async function setPoolSite(sql: Sql, fqdn: string, site: string): Promise<void> {
  await sql.run('UPDATE pools SET site = ? WHERE fqdn = ?', [site, fqdn]);
}

/** Replaces the pool's web hosts (in the given order: the first is the one links use). */
export async function replaceWebHosts(sql: Sql, fqdn: string, hosts: string[]): Promise<void> {
  await sql.run('DELETE FROM hosts WHERE pool = ?', [fqdn]);
  for (const host of hosts) await sql.run('INSERT INTO hosts (hostname, pool) VALUES (?, ?)', [host, fqdn]);
}

export async function replaceSipDomains(sql: Sql, fqdn: string, domains: string[]): Promise<void> {
  await sql.run('DELETE FROM sip_domains WHERE pool = ?', [fqdn]);
  for (const domain of domains) await sql.run('INSERT INTO sip_domains (domain, pool) VALUES (?, ?)', [domain, fqdn]);
}

export async function deletePool(sql: Sql, fqdn: string): Promise<void> {
  await sql.run('DELETE FROM hosts WHERE pool = ?', [fqdn]);
  await sql.run('DELETE FROM sip_domains WHERE pool = ?', [fqdn]);
  await sql.run('DELETE FROM pools WHERE fqdn = ?', [fqdn]);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What still depends on a pool, as words for the admin ("2 meetings, 4 dial-in numbers"). */
export async function poolDependents(sql: Sql, fqdn: string): Promise<string[]> {
  const count = async (table: string) =>
    (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE pool = ?`, [fqdn]))?.n ?? 0;
  const found: string[] = [];
  const meetings = await count('meetings');
  const numbers = await count('dialin_numbers');
  const keys = await count('api_keys');
  // The identity column compares without case on both engines (NOCASE / citext).
  const doc = await sql.get('SELECT 1 AS found FROM config_documents WHERE identity = ?', [
    `Service:WebServer:${fqdn}`,
  ]);
  if (meetings) found.push(`${plural(meetings, 'meeting')} (remove-meeting)`);
  if (numbers) found.push(`${plural(numbers, 'dial-in number')} (remove-dialin-number)`);
  if (keys) found.push(`${plural(keys, 'API key')} (remove-api-key)`);
  if (doc) found.push(`its configuration document Service:WebServer:${fqdn} (remove)`);
  return found;
}

export async function siteDependents(sql: Sql, name: string): Promise<string[]> {
  const pools = (await sql.all<{ fqdn: string }>('SELECT fqdn FROM pools WHERE site = ? ORDER BY fqdn', [name])).map(
    (r) => r.fqdn,
  );
  const found: string[] = [];
  if (pools.length) found.push(`pool${pools.length === 1 ? '' : 's'} ${pools.join(', ')} (remove-pool)`);
  const doc = await sql.get('SELECT 1 AS found FROM config_documents WHERE identity = ?', [`Site:${name}`]);
  if (doc) found.push(`its configuration document Site:${name} (remove)`);
  return found;
}

export { findPool };
