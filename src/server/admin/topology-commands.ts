/**
 * topology, new-site, remove-site, new-pool, set-pool, remove-pool: each write one transaction,
 * its checks read inside it.
 */

import type { Sql } from '../sql/sql';
import { adminWrite } from '../store/admin-write';
import {
  deletePool,
  deleteSite,
  findPool,
  insertPool,
  insertSite,
  listSites,
  poolDependents,
  poolForSipDomain,
  poolOfHost,
  replaceSipDomains,
  replaceWebHosts,
  setPoolSite,
  siteDependents,
} from '../store/sites-pools';
import { findSite } from '../topology/topology';
import { CliError, text, type VerbContext } from './context';

const split = (value: string | undefined) => (value === undefined ? undefined : value.split(',').filter((s) => s));

async function siteNamed(sql: Sql, name: string): Promise<string> {
  const site = await findSite(sql, name);
  if (!site) throw new CliError(`There is no site named "${name}": add it with new-site.`);
  return site;
}

async function poolNamed(sql: Sql, fqdn: string) {
  const pool = await findPool(sql, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool;
}

/** Web hosts and SIP domains belong to one pool each. */
async function checkClaims(sql: Sql, fqdn: string, hosts: string[] | undefined, domains: string[] | undefined) {
  for (const host of hosts ?? []) {
    const owner = await poolOfHost(sql, host);
    if (owner && owner.toLowerCase() !== fqdn) throw new CliError(`The web host ${host} already belongs to ${owner}.`);
  }
  for (const domain of domains ?? []) {
    const owner = (await poolForSipDomain(sql, domain))?.fqdn;
    if (owner && owner.toLowerCase() !== fqdn)
      throw new CliError(`The SIP domain ${domain} is already hosted by ${owner}.`);
  }
}

export async function topology(ctx: VerbContext): Promise<string[]> {
  const sites = await listSites(ctx.sql);
  if (ctx.command.json) return [JSON.stringify({ sites }, null, 2)];
  if (sites.length === 0) return ['No sites yet: add one with new-site -Identity <name>.'];
  return sites.flatMap((site) => [
    `Site ${site.name}`,
    ...(site.pools.length === 0 ? ['  (no pools)'] : []),
    ...site.pools.flatMap((p) => [
      `  Pool ${p.fqdn}`,
      `    web hosts:   ${p.webHosts.join(', ') || '(none)'}`,
      `    SIP domains: ${p.sipDomains.join(', ') || '(none)'}`,
    ]),
  ]);
}

export function newSite(ctx: VerbContext): Promise<string[]> {
  const name = ctx.command.identity as string;
  return adminWrite(ctx.store, async (sql) => {
    const existing = await findSite(sql, name);
    if (existing) throw new CliError(`The site ${existing} already exists.`);
    if (ctx.command.whatIf) return [`What if: would add site ${name}`];
    await insertSite(sql, name);
    return [`Added site ${name}`];
  });
}

export function removeSite(ctx: VerbContext): Promise<string[]> {
  return adminWrite(ctx.store, async (sql) => {
    const name = await siteNamed(sql, ctx.command.identity as string);
    const dependents = await siteDependents(sql, name);
    if (dependents.length) throw new CliError(`The site ${name} is still used by ${dependents.join(' and ')}.`);
    if (ctx.command.whatIf) return [`What if: would remove site ${name}`];
    await deleteSite(sql, name);
    return [`Removed site ${name}`];
  });
}

export function newPool(ctx: VerbContext): Promise<string[]> {
  const fqdn = ctx.command.identity as string;
  const hosts = split(text(ctx.command, 'WebHost')) as string[];
  const domains = split(text(ctx.command, 'SipDomain')) ?? [];
  return adminWrite(ctx.store, async (sql) => {
    if (await findPool(sql, fqdn)) throw new CliError(`The pool ${fqdn} already exists: change it with set-pool.`);
    const site = await siteNamed(sql, text(ctx.command, 'Site') as string);
    await checkClaims(sql, fqdn, hosts, domains);
    const what = `pool ${fqdn} in site ${site}, web hosts ${hosts.join(', ')}${domains.length ? `, SIP domains ${domains.join(', ')}` : ''}`;
    if (ctx.command.whatIf) return [`What if: would add ${what}`];
    await insertPool(sql, { fqdn, site });
    await replaceWebHosts(sql, fqdn, hosts);
    await replaceSipDomains(sql, fqdn, domains);
    return [`Added ${what}`];
  });
}

export function setPool(ctx: VerbContext): Promise<string[]> {
  const siteName = text(ctx.command, 'Site');
  const hosts = split(text(ctx.command, 'WebHost'));
  const domains = split(text(ctx.command, 'SipDomain'));
  return adminWrite(ctx.store, async (sql) => {
    const pool = await poolNamed(sql, ctx.command.identity as string);
    const site = siteName === undefined ? undefined : await siteNamed(sql, siteName);
    await checkClaims(sql, pool.fqdn.toLowerCase(), hosts, domains);
    const changes = [
      ...(site ? [`site ${site}`] : []),
      ...(hosts ? [`web hosts ${hosts.join(', ')}`] : []),
      ...(domains ? [`SIP domains ${domains.join(', ') || '(none)'}`] : []),
    ].join(', ');
    if (ctx.command.whatIf) return [`What if: would set pool ${pool.fqdn}: ${changes}`];
    if (site) await setPoolSite(sql, pool.fqdn, site);
    if (hosts) await replaceWebHosts(sql, pool.fqdn, hosts);
    if (domains) await replaceSipDomains(sql, pool.fqdn, domains);
    return [`Set pool ${pool.fqdn}: ${changes}`];
  });
}

export function removePool(ctx: VerbContext): Promise<string[]> {
  return adminWrite(ctx.store, async (sql) => {
    const pool = await poolNamed(sql, ctx.command.identity as string);
    const dependents = await poolDependents(sql, pool.fqdn);
    if (dependents.length) throw new CliError(`The pool ${pool.fqdn} still has ${dependents.join(', ')}.`);
    if (ctx.command.whatIf) return [`What if: would remove pool ${pool.fqdn} and its web hosts`];
    await deletePool(sql, pool.fqdn);
    return [`Removed pool ${pool.fqdn}`];
  });
}
