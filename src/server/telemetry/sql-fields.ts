/**
 * The few places where telemetry's SQL differs between the engines: reading a field of an event's
 * JSON (`data`), and matching a pool name typed in any case against `telemetry_events.pool`.
 * Field names come from this code, never from a request.
 */
import type { Dialect } from '../sql/sql';

/** A text field of the event's JSON (NULL when absent). */
export function jsonText(dialect: Dialect, field: string, column = 'data'): string {
  return dialect === 'sqlite' ? `json_extract(${column}, '$.${field}')` : `((${column})::json ->> '${field}')`;
}

/** A number field of the event's JSON. */
export function jsonNumber(dialect: Dialect, field: string, column = 'data'): string {
  return dialect === 'sqlite' ? jsonText(dialect, field, column) : `(${jsonText(dialect, field, column)})::float8`;
}

/** A boolean field of the event's JSON as 1 or 0 (what SQLite's json_extract gives), to average. */
export function jsonFlag(dialect: Dialect, field: string, column = 'data'): string {
  return dialect === 'sqlite'
    ? jsonText(dialect, field, column)
    : `(${jsonText(dialect, field, column)})::boolean::int`;
}

/** `telemetry_events.pool` equal to a parameter, whatever its case. */
export function eventPoolIs(dialect: Dialect): string {
  return dialect === 'sqlite' ? 'pool = ? COLLATE NOCASE' : 'lower(pool) = lower(?)';
}

/** The database's clock in ms (PostgreSQL: one clock for every node). */
export async function storeClock(sql: { dialect: Dialect; get<T>(text: string): Promise<T | undefined> }) {
  if (sql.dialect === 'sqlite') return Date.now();
  const row = await sql.get<{ now: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8 AS now');
  return Number(row?.now);
}
