/** new-dialin-number, dialin-numbers, remove-dialin-number. */

import type { Sql } from '../sql/sql';
import { adminWrite } from '../store/admin-write';
import { deleteDialInNumber, insertDialInNumber, listDialInNumbers, poolWithNumber } from '../store/dialin';
import { findPool } from '../topology/topology';
import { CliError, flag, text, type VerbContext } from './context';

async function poolOf(sql: Sql, fqdn: string | undefined): Promise<string | undefined> {
  if (fqdn === undefined) return undefined;
  const pool = await findPool(sql, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool.fqdn;
}

export function newDialInNumber(ctx: VerbContext): Promise<string[]> {
  const number = text(ctx.command, 'Number') as string;
  const entry = {
    region: text(ctx.command, 'Region') as string,
    number,
    display: text(ctx.command, 'Display') ?? number,
    tollFree: flag(ctx.command, 'TollFree'),
  };
  return adminWrite(ctx.store, async (sql) => {
    const pool = (await poolOf(sql, ctx.command.pool)) as string;
    const owner = await poolWithNumber(sql, number);
    if (owner) throw new CliError(`${number} is already a dial-in number of ${owner}.`);
    const what = `${entry.display} (${entry.region}${entry.tollFree ? ', toll-free' : ''}) to ${pool}`;
    if (ctx.command.whatIf) return [`What if: would add ${what}`];
    await insertDialInNumber(sql, pool, entry);
    return [`Added ${what}`];
  });
}

export async function dialInNumbers(ctx: VerbContext): Promise<string[]> {
  const numbers = await listDialInNumbers(ctx.sql, await poolOf(ctx.sql, ctx.command.pool));
  if (ctx.command.json) return [JSON.stringify({ numbers }, null, 2)];
  if (numbers.length === 0) return ['No dial-in numbers: add one with new-dialin-number.'];
  return numbers.map(
    (n) => `${n.pool}  ${n.region}  ${n.number.padEnd(16)} ${n.display}${n.tollFree ? '  (toll-free)' : ''}`,
  );
}

export function removeDialInNumber(ctx: VerbContext): Promise<string[]> {
  const number = text(ctx.command, 'Number') as string;
  return adminWrite(ctx.store, async (sql) => {
    const pool = (await poolOf(sql, ctx.command.pool)) as string;
    if (!(await listDialInNumbers(sql, pool)).some((n) => n.number === number))
      throw new CliError(`${pool} has no dial-in number ${number}.`);
    if (ctx.command.whatIf) return [`What if: would remove ${number} from ${pool}`];
    await deleteDialInNumber(sql, pool, number);
    return [`Removed ${number} from ${pool}`];
  });
}
