/** new-api-key (the key is shown once), api-keys (names only), remove-api-key. */

import type { Sql } from '../sql/sql';
import { adminWrite } from '../store/admin-write';
import { deleteApiKey, findApiKey, insertApiKey, listApiKeys, newApiKeyValue } from '../store/api-keys';
import { findPool } from '../topology/topology';
import { CliError, text, type VerbContext } from './context';

async function poolOf(sql: Sql, fqdn: string): Promise<string> {
  const pool = await findPool(sql, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool.fqdn;
}

export async function newApiKey(ctx: VerbContext): Promise<string[]> {
  const name = text(ctx.command, 'Name') as string;
  const key = newApiKeyValue();
  const pool = await adminWrite(ctx.store, async (sql) => {
    const pool = await poolOf(sql, ctx.command.pool as string);
    if (await findApiKey(sql, pool, name)) throw new CliError(`${pool} already has an API key named "${name}".`);
    await insertApiKey(sql, pool, name, key, ctx.now);
    return pool;
  });
  if (ctx.command.json) return [JSON.stringify({ key }, null, 2)];
  return [`API key "${name}" for ${pool} (shown only now; store it in the calendar or bot's secrets):`, `  ${key}`];
}

export async function apiKeys(ctx: VerbContext): Promise<string[]> {
  const pool = ctx.command.pool === undefined ? undefined : await poolOf(ctx.sql, ctx.command.pool);
  const keys = (await listApiKeys(ctx.sql, pool)).map((k) => ({
    pool: k.pool,
    name: k.name,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
  }));
  if (ctx.command.json) return [JSON.stringify({ keys }, null, 2)];
  if (keys.length === 0) return ['No API keys: make one with new-api-key.'];
  return keys.map((k) => `${k.pool}  "${k.name}"  created ${k.createdAt}, last used ${k.lastUsedAt ?? 'never'}`);
}

export function removeApiKey(ctx: VerbContext): Promise<string[]> {
  const name = text(ctx.command, 'Name') as string;
  return adminWrite(ctx.store, async (sql) => {
    const pool = await poolOf(sql, ctx.command.pool as string);
    const key = await findApiKey(sql, pool, name);
    if (!key) throw new CliError(`${pool} has no API key named "${name}".`);
    if (ctx.command.whatIf) return [`What if: would revoke API key "${key.name}" of ${pool}`];
    await deleteApiKey(sql, pool, key.name);
    return [`Revoked API key "${key.name}" of ${pool}`];
  });
}
