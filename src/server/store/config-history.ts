/**
 * The history of the configuration documents: one row per parameter a write changed, with who
 * changed it and when, written by config-store.ts in the same transaction as the change itself, so
 * a change and its record land together or not at all. It is the admins' record, not telemetry:
 * retention and `purge` never delete from it.
 */
import { PARAMETER_NAMES, type ParameterName, type WebServiceConfig } from '../../shared/config-schema';
import type { Param, Sql } from '../sql/sql';

/** Who made a change and when: the OS user of the admin CLI, or `api-key:<name>` for an API. */
export interface ChangeAuthor {
  actor: string;
  /** ms since the epoch. */
  at: number;
}

/** One parameter of one document changed; `old` is null for a new document, `new` for a removed one. */
export interface ConfigChange {
  /** ISO time (UTC). */
  at: string;
  actor: string;
  identity: string;
  parameter: ParameterName;
  old: WebServiceConfig[ParameterName] | null;
  new: WebServiceConfig[ParameterName] | null;
}

export interface HistoryFilter {
  /** A document's identity, in any case. */
  identity?: string;
  parameter?: ParameterName;
  /** ms since the epoch: changes made at or after it. */
  since?: number;
}

/** The actor a write gets when its caller names none (the demo seed, the server itself). */
export const SYSTEM_ACTOR = 'system';

/**
 * Records what changed between `before` and `after` (undefined: the document did not exist / no
 * longer exists); returns how many parameters changed. Nothing is recorded for a no-op write.
 */
export async function recordDocumentChange(
  sql: Sql,
  by: ChangeAuthor,
  identity: string,
  before: WebServiceConfig | undefined,
  after: WebServiceConfig | undefined,
): Promise<number> {
  let changed = 0;
  for (const parameter of PARAMETER_NAMES) {
    const old = before === undefined ? null : before[parameter];
    const value = after === undefined ? null : after[parameter];
    if (old === value) continue;
    await sql.run(
      'INSERT INTO config_history (at, actor, identity, parameter, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)',
      [by.at, by.actor, identity, parameter, encode(old), encode(value)],
    );
    changed++;
  }
  return changed;
}

const encode = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const decode = (text: string | null) => (text === null ? null : (JSON.parse(text) as WebServiceConfig[ParameterName]));

/** The recorded changes matching the filter, oldest first (the order they were committed in). */
export async function configHistory(sql: Sql, filter: HistoryFilter = {}): Promise<ConfigChange[]> {
  const where: string[] = [];
  const params: Param[] = [];
  // identity is NOCASE in SQLite and citext in PostgreSQL: `=` ignores case on both.
  const add = (condition: string, value: Param) => {
    where.push(condition);
    params.push(value);
  };
  if (filter.identity !== undefined) add('identity = ?', filter.identity);
  if (filter.parameter !== undefined) add('parameter = ?', filter.parameter);
  if (filter.since !== undefined) add('at >= ?', filter.since);
  const rows = await sql.all<{
    at: number | string;
    actor: string;
    identity: string;
    parameter: ParameterName;
    old_value: string | null;
    new_value: string | null;
  }>(
    `SELECT at, actor, identity, parameter, old_value, new_value FROM config_history
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
    params,
  );
  return rows.map((row) => ({
    // PostgreSQL hands BIGINT back as a string.
    at: new Date(Number(row.at)).toISOString(),
    actor: row.actor,
    identity: row.identity,
    parameter: row.parameter,
    old: decode(row.old_value),
    new: decode(row.new_value),
  }));
}

/** The identity as history spells it, if any change to that document was ever recorded. */
export async function recordedIdentity(sql: Sql, identity: string): Promise<string | undefined> {
  const row = await sql.get<{ identity: string }>(
    'SELECT identity FROM config_history WHERE identity = ? ORDER BY seq DESC LIMIT 1',
    [identity],
  );
  return row?.identity;
}
