/** new-api-key (the key is shown once), api-keys (names only), remove-api-key. */

import { adminWrite } from '../store/admin-write';
import { deleteApiKey, findApiKey, insertApiKey, listApiKeys, newApiKeyValue } from '../store/api-keys';
import { findPool } from '../topology';
import { CliError, text, type VerbContext } from './context';

function poolOf(ctx: VerbContext, fqdn: string): string {
  const pool = findPool(ctx.db, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool.fqdn;
}

export function newApiKey(ctx: VerbContext): string[] {
  const pool = poolOf(ctx, ctx.command.pool as string);
  const name = text(ctx.command, 'Name') as string;
  if (findApiKey(ctx.db, pool, name)) throw new CliError(`${pool} already has an API key named "${name}".`);
  const key = newApiKeyValue();
  adminWrite(ctx.db, () => insertApiKey(ctx.db, pool, name, key, ctx.now));
  if (ctx.command.json) return [JSON.stringify({ key }, null, 2)];
  return [`API key "${name}" for ${pool} (shown only now; store it in the calendar or bot's secrets):`, `  ${key}`];
}

export function apiKeys(ctx: VerbContext): string[] {
  const pool = ctx.command.pool === undefined ? undefined : poolOf(ctx, ctx.command.pool);
  const keys = listApiKeys(ctx.db, pool).map((k) => ({
    pool: k.pool,
    name: k.name,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
  }));
  if (ctx.command.json) return [JSON.stringify({ keys }, null, 2)];
  if (keys.length === 0) return ['No API keys: make one with new-api-key.'];
  return keys.map((k) => `${k.pool}  "${k.name}"  created ${k.createdAt}, last used ${k.lastUsedAt ?? 'never'}`);
}

export function removeApiKey(ctx: VerbContext): string[] {
  const pool = poolOf(ctx, ctx.command.pool as string);
  const name = text(ctx.command, 'Name') as string;
  const key = findApiKey(ctx.db, pool, name);
  if (!key) throw new CliError(`${pool} has no API key named "${name}".`);
  if (ctx.command.whatIf) return [`What if: would revoke API key "${key.name}" of ${pool}`];
  adminWrite(ctx.db, () => deleteApiKey(ctx.db, pool, key.name));
  return [`Revoked API key "${key.name}" of ${pool}`];
}
