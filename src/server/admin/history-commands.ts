/**
 * `config-history [-Identity X] [-Parameter P] [-Since D] [--Json]`: every recorded change to a
 * configuration document, oldest first, as an aligned table or a JSON array of
 * `{ at, actor, identity, parameter, old, new }`.
 */
import { type ConfigChange, configHistory, recordedIdentity } from '../store/config-history';
import { IdentityError, identityString, parseIdentity } from '../store/config-store';
import { formatValue } from './config-notices';
import type { VerbContext } from './context';

/**
 * The identity to filter on: a document of the current topology, or one whose pool or site is gone
 * but whose changes were recorded (its history outlives it). Anything else is refused.
 */
async function historyIdentity(ctx: VerbContext, raw: string): Promise<string> {
  try {
    return identityString(await parseIdentity(ctx.sql, raw));
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    const recorded = await recordedIdentity(ctx.sql, raw.trim());
    if (recorded !== undefined) return recorded;
    throw new IdentityError(`${error.message}, and no change to a document "${raw.trim()}" was ever recorded.`);
  }
}

const HEADINGS = ['at', 'actor', 'identity', 'parameter', 'old', 'new'] as const;

function table(changes: ConfigChange[]): string[] {
  const rows = changes.map((c) => [c.at, c.actor, c.identity, c.parameter, formatValue(c.old), formatValue(c.new)]);
  const widths = HEADINGS.map((heading, i) =>
    Math.max(heading.length, ...rows.map((row) => (row[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(HEADINGS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export async function showConfigHistory(ctx: VerbContext): Promise<string[]> {
  const { command } = ctx;
  const changes = await configHistory(ctx.sql, {
    identity: command.identity === undefined ? undefined : await historyIdentity(ctx, command.identity),
    parameter: command.parameter,
    since: command.since,
  });
  if (command.json) return [JSON.stringify(changes, null, 2)];
  if (changes.length === 0) return ['No configuration change recorded (for this filter).'];
  return table(changes);
}
