/** new-dialin-number, dialin-numbers, remove-dialin-number. */

import { adminWrite } from '../store/admin-write';
import { deleteDialInNumber, insertDialInNumber, listDialInNumbers, poolWithNumber } from '../store/dialin';
import { findPool } from '../topology';
import { CliError, flag, text, type VerbContext } from './context';

function poolOf(ctx: VerbContext, fqdn: string | undefined): string | undefined {
  if (fqdn === undefined) return undefined;
  const pool = findPool(ctx.db, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  return pool.fqdn;
}

export function newDialInNumber(ctx: VerbContext): string[] {
  const pool = poolOf(ctx, ctx.command.pool) as string;
  const number = text(ctx.command, 'Number') as string;
  const owner = poolWithNumber(ctx.db, number);
  if (owner) throw new CliError(`${number} is already a dial-in number of ${owner}.`);
  const entry = {
    region: text(ctx.command, 'Region') as string,
    number,
    display: text(ctx.command, 'Display') ?? number,
    tollFree: flag(ctx.command, 'TollFree'),
  };
  const what = `${entry.display} (${entry.region}${entry.tollFree ? ', toll-free' : ''}) to ${pool}`;
  if (ctx.command.whatIf) return [`What if: would add ${what}`];
  adminWrite(ctx.db, () => insertDialInNumber(ctx.db, pool, entry));
  return [`Added ${what}`];
}

export function dialInNumbers(ctx: VerbContext): string[] {
  const numbers = listDialInNumbers(ctx.db, poolOf(ctx, ctx.command.pool));
  if (ctx.command.json) return [JSON.stringify({ numbers }, null, 2)];
  if (numbers.length === 0) return ['No dial-in numbers: add one with new-dialin-number.'];
  return numbers.map(
    (n) => `${n.pool}  ${n.region}  ${n.number.padEnd(16)} ${n.display}${n.tollFree ? '  (toll-free)' : ''}`,
  );
}

export function removeDialInNumber(ctx: VerbContext): string[] {
  const pool = poolOf(ctx, ctx.command.pool) as string;
  const number = text(ctx.command, 'Number') as string;
  if (!listDialInNumbers(ctx.db, pool).some((n) => n.number === number))
    throw new CliError(`${pool} has no dial-in number ${number}.`);
  if (ctx.command.whatIf) return [`What if: would remove ${number} from ${pool}`];
  adminWrite(ctx.db, () => deleteDialInNumber(ctx.db, pool, number));
  return [`Removed ${number} from ${pool}`];
}
