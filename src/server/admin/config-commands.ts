/**
 * The configuration verbs: get, new, set (one document, or `-Identity *`: every stored one, in one
 * transaction) and remove. Every write reads each pool's effective configuration before and after,
 * inside its own transaction, and leaves on ctx.notices what each pool now gets where that is not
 * what the command asked for (config-notices.ts). A -WhatIf runs the very same write and rolls it
 * back, so what it says is what the write would do. Each write records its changes, with the
 * admin's name, in the configuration history (config-history.ts).
 */
import { PARAMETER_NAMES, PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import type { Sql } from '../sql/sql';
import { adminWrite } from '../store/admin-write';
import type { ChangeAuthor } from '../store/config-history';
import {
  effectiveConfigFor,
  getDocument,
  type Identity,
  identityOfStored,
  identityString,
  listDocuments,
  parseIdentity,
  putDocument,
  removeDocument,
} from '../store/config-store';
import { findPool, listPools } from '../topology/topology';
import { type ConfigWrite, noticeLines, type PoolEffect } from './config-notices';
import { CliError, type VerbContext } from './context';

function describeChanges(before: WebServiceConfig, after: WebServiceConfig): string {
  const changed = PARAMETER_NAMES.filter((name) => before[name] !== after[name]);
  if (changed.length === 0) return 'no change';
  return changed.map((name) => `${name}: ${JSON.stringify(before[name])} -> ${JSON.stringify(after[name])}`).join(', ');
}

function configOf(doc: WebServiceConfig): WebServiceConfig {
  const config = {} as Record<string, unknown>;
  for (const name of PARAMETER_NAMES) config[name] = doc[name];
  return config as WebServiceConfig;
}

/** Thrown to roll a -WhatIf write back, carrying what it would have printed. */
class WhatIfRollback {
  constructor(readonly output: { stdout: string[]; notices: string[] }) {}
}

type Write = (tx: Sql) => Promise<{ stdout: string[]; write: Omit<ConfigWrite, 'whatIf'> }>;

/**
 * Runs `write` as one admin write, with every pool's effective configuration read before and after
 * it in the same transaction; rolls it back for -WhatIf.
 */
async function configWrite(ctx: VerbContext, write: Write): Promise<string[]> {
  const { whatIf } = ctx.command;
  try {
    const output = await adminWrite(ctx.store, async (tx) => {
      // One query at a time: a PostgreSQL transaction is one connection.
      const pools = await listPools(tx);
      const before: PoolEffect['before'][] = [];
      for (const pool of pools) before.push(await effectiveConfigFor(tx, pool));
      const done = await write(tx);
      const effects: PoolEffect[] = [];
      for (const [i, pool] of pools.entries())
        effects.push({ pool, before: before[i] as PoolEffect['before'], after: await effectiveConfigFor(tx, pool) });
      const result = { stdout: done.stdout, notices: noticeLines(effects, { ...done.write, whatIf }) };
      if (whatIf) throw new WhatIfRollback(result);
      return result;
    });
    ctx.notices.push(...output.notices);
    return output.stdout;
  } catch (error) {
    if (!(error instanceof WhatIfRollback)) throw error;
    ctx.notices.push(...error.output.notices);
    return error.output.stdout;
  }
}

const author = (ctx: VerbContext): ChangeAuthor => ({ actor: ctx.actor, at: ctx.now });

async function identityOf(ctx: VerbContext, sql: Sql): Promise<Identity> {
  return ctx.command.identity === undefined ? { kind: 'global' } : parseIdentity(sql, ctx.command.identity);
}

export async function getConfig(ctx: VerbContext): Promise<string[]> {
  const { sql, command } = ctx;
  if (command.options.Effective === true) {
    const pool = await findPool(sql, command.pool as string);
    if (!pool) throw new CliError(`There is no pool named "${command.pool}".`);
    const { Identity, ...config } = await effectiveConfigFor(sql, pool);
    return [JSON.stringify({ Pool: pool.fqdn, Source: Identity, ...config }, null, 2)];
  }
  if (command.identity === undefined || command.identity === '*')
    return [JSON.stringify(await listDocuments(sql), null, 2)];
  const id = await identityOf(ctx, sql);
  const doc = await getDocument(sql, id);
  if (!doc) throw new CliError(`There is no configuration document ${identityString(id)}; create it with "new".`);
  return [JSON.stringify([doc], null, 2)];
}

export function newConfig(ctx: VerbContext): Promise<string[]> {
  const { command } = ctx;
  const after = { ...PRODUCT_DEFAULTS, ...command.changes };
  return configWrite(ctx, async (sql) => {
    const id = await identityOf(ctx, sql);
    if (id.kind === 'global') throw new CliError('Global always exists: change it with "set".');
    const key = identityString(id);
    if (await getDocument(sql, id)) throw new CliError(`${key} already exists: change it with "set".`);
    const written = await putDocument(sql, id, after, author(ctx));
    const stdout = command.whatIf
      ? [`What if: would create ${key} with ${JSON.stringify(after)}`]
      : [JSON.stringify(written, null, 2)];
    return { stdout, write: { targets: [key], asked: command.changes, created: key } };
  });
}

/** `set`: the named document (Global when none), or with `-Identity *` every stored one and Global. */
export function setConfig(ctx: VerbContext): Promise<string[]> {
  const { command } = ctx;
  // Read and write in one transaction: a concurrent set cannot slip in between and be lost.
  return configWrite(ctx, async (sql) => {
    const ids: Identity[] =
      command.identity === '*'
        ? [
            { kind: 'global' },
            ...(await listDocuments(sql))
              .filter((doc) => doc.Identity !== 'Global')
              .map((doc) => identityOfStored(doc.Identity)),
          ]
        : [await identityOf(ctx, sql)];
    const stdout: string[] = [];
    for (const id of ids) {
      const key = identityString(id);
      const before = await getDocument(sql, id);
      if (!before) throw new CliError(`There is no configuration document ${key}; create it with "new".`);
      const after = { ...configOf(before), ...command.changes };
      await putDocument(sql, id, after, author(ctx));
      stdout.push(`${command.whatIf ? 'What if: would set' : 'Set'} ${key}: ${describeChanges(before, after)}`);
    }
    return { stdout, write: { targets: ids.map(identityString), asked: command.changes } };
  });
}

export function removeConfig(ctx: VerbContext): Promise<string[]> {
  const { command } = ctx;
  return configWrite(ctx, async (sql) => {
    const id = await identityOf(ctx, sql);
    const key = identityString(id);
    if (!(await getDocument(sql, id))) throw new CliError(`There is no configuration document ${key} to remove.`);
    await removeDocument(sql, id, author(ctx));
    const global = id.kind === 'global';
    const stdout = command.whatIf
      ? [`What if: would ${global ? 'reset Global to product defaults' : `remove ${key}`}`]
      : [global ? 'Reset Global to product defaults' : `Removed ${key}`];
    return { stdout, write: { targets: [key], asked: global ? { ...PRODUCT_DEFAULTS } : {}, removed: key } };
  });
}
