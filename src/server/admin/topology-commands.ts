/** topology, new-site, remove-site, new-pool, set-pool, remove-pool: each write one transaction. */

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
import { findSite } from '../topology';
import { CliError, text, type VerbContext } from './context';

const split = (value: string | undefined) => (value === undefined ? undefined : value.split(',').filter((s) => s));

function siteNamed(ctx: VerbContext, name: string): string {
  const site = findSite(ctx.db, name);
  if (!site) throw new CliError(`There is no site named "${name}": add it with new-site.`);
  return site;
}

function poolNamed(ctx: VerbContext, fqdn: string) {
  const pool = findPool(ctx.db, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool;
}

/** Web hosts and SIP domains belong to one pool each. */
function checkClaims(ctx: VerbContext, fqdn: string, hosts: string[] | undefined, domains: string[] | undefined) {
  for (const host of hosts ?? []) {
    const owner = poolOfHost(ctx.db, host);
    if (owner && owner.toLowerCase() !== fqdn) throw new CliError(`The web host ${host} already belongs to ${owner}.`);
  }
  for (const domain of domains ?? []) {
    const owner = poolForSipDomain(ctx.db, domain)?.fqdn;
    if (owner && owner.toLowerCase() !== fqdn)
      throw new CliError(`The SIP domain ${domain} is already hosted by ${owner}.`);
  }
}

export function topology(ctx: VerbContext): string[] {
  const sites = listSites(ctx.db);
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

export function newSite(ctx: VerbContext): string[] {
  const name = ctx.command.identity as string;
  const existing = findSite(ctx.db, name);
  if (existing) throw new CliError(`The site ${existing} already exists.`);
  if (ctx.command.whatIf) return [`What if: would add site ${name}`];
  adminWrite(ctx.db, () => insertSite(ctx.db, name));
  return [`Added site ${name}`];
}

export function removeSite(ctx: VerbContext): string[] {
  const name = siteNamed(ctx, ctx.command.identity as string);
  const dependents = siteDependents(ctx.db, name);
  if (dependents.length) throw new CliError(`The site ${name} is still used by ${dependents.join(' and ')}.`);
  if (ctx.command.whatIf) return [`What if: would remove site ${name}`];
  adminWrite(ctx.db, () => deleteSite(ctx.db, name));
  return [`Removed site ${name}`];
}

export function newPool(ctx: VerbContext): string[] {
  const fqdn = ctx.command.identity as string;
  if (findPool(ctx.db, fqdn)) throw new CliError(`The pool ${fqdn} already exists: change it with set-pool.`);
  const site = siteNamed(ctx, text(ctx.command, 'Site') as string);
  const hosts = split(text(ctx.command, 'WebHost')) as string[];
  const domains = split(text(ctx.command, 'SipDomain')) ?? [];
  checkClaims(ctx, fqdn, hosts, domains);
  const what = `pool ${fqdn} in site ${site}, web hosts ${hosts.join(', ')}${domains.length ? `, SIP domains ${domains.join(', ')}` : ''}`;
  if (ctx.command.whatIf) return [`What if: would add ${what}`];
  adminWrite(ctx.db, () => {
    insertPool(ctx.db, { fqdn, site });
    replaceWebHosts(ctx.db, fqdn, hosts);
    replaceSipDomains(ctx.db, fqdn, domains);
  });
  return [`Added ${what}`];
}

export function setPool(ctx: VerbContext): string[] {
  const pool = poolNamed(ctx, ctx.command.identity as string);
  const siteName = text(ctx.command, 'Site');
  const site = siteName === undefined ? undefined : siteNamed(ctx, siteName);
  const hosts = split(text(ctx.command, 'WebHost'));
  const domains = split(text(ctx.command, 'SipDomain'));
  checkClaims(ctx, pool.fqdn.toLowerCase(), hosts, domains);
  const changes = [
    ...(site ? [`site ${site}`] : []),
    ...(hosts ? [`web hosts ${hosts.join(', ')}`] : []),
    ...(domains ? [`SIP domains ${domains.join(', ') || '(none)'}`] : []),
  ].join(', ');
  if (ctx.command.whatIf) return [`What if: would set pool ${pool.fqdn}: ${changes}`];
  adminWrite(ctx.db, () => {
    if (site) setPoolSite(ctx.db, pool.fqdn, site);
    if (hosts) replaceWebHosts(ctx.db, pool.fqdn, hosts);
    if (domains) replaceSipDomains(ctx.db, pool.fqdn, domains);
  });
  return [`Set pool ${pool.fqdn}: ${changes}`];
}

export function removePool(ctx: VerbContext): string[] {
  const pool = poolNamed(ctx, ctx.command.identity as string);
  const dependents = poolDependents(ctx.db, pool.fqdn);
  if (dependents.length) throw new CliError(`The pool ${pool.fqdn} still has ${dependents.join(', ')}.`);
  if (ctx.command.whatIf) return [`What if: would remove pool ${pool.fqdn} and its web hosts`];
  adminWrite(ctx.db, () => deletePool(ctx.db, pool.fqdn));
  return [`Removed pool ${pool.fqdn}`];
}
