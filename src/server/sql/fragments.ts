/**
 * The few places where the SQL itself differs between the engines, one object per engine, handed
 * to callers as `sql.fragments` (every `Sql`, transactions included, carries its engine's). Field
 * names come from the server's code, never from a request.
 */

/** Rows of a table whose `data` column holds JSON, with readers of its fields. */
export interface JsonRows {
  /** What goes after FROM. */
  from: string;
  /** A text field (NULL when absent). */
  text(field: string): string;
  /** A number field. */
  number(field: string): string;
}

export interface SqlFragments {
  /** A text field of a JSON column (NULL when absent). */
  jsonText(field: string, column?: string): string;
  /** A number field of a JSON column. */
  jsonNumber(field: string, column?: string): string;
  /** A boolean field of a JSON column as 1 or 0 (what SQLite's json_extract gives), to average. */
  jsonFlag(field: string, column?: string): string;
  /**
   * `source` (a table and its WHERE) with its `data` JSON parsed once per row where the engine
   * would otherwise parse it once per field read.
   */
  jsonRows(source: string): JsonRows;
  /** `telemetry_events.pool` equal to a parameter, whatever its case. */
  eventPoolIs: string;
  /** Appended to a SELECT that reads a row it will then update, in a transaction ('' when writers are serialised anyway). */
  forUpdate: string;
  /** Appended to a SELECT of rows to delete in slices, so concurrent purgers take different rows. */
  forUpdateSkipLocked: string;
  /** Whether a read-then-write transaction takes the write lock at BEGIN (SQLite) rather than row locks. */
  writeLockAtBegin: boolean;
  /** Run first in a read-only transaction that must see one snapshot, if the engine needs telling. */
  readOnlySnapshot?: string;
  /** The store's clock in ms (PostgreSQL: one clock for every node). */
  clock(sql: { get<T>(text: string): Promise<T | undefined> }): Promise<number>;
}

const sqliteText = (field: string, column = 'data') => `json_extract(${column}, '$.${field}')`;

export const SQLITE_FRAGMENTS: SqlFragments = {
  jsonText: sqliteText,
  jsonNumber: sqliteText,
  jsonFlag: sqliteText,
  jsonRows: (source) => ({ from: source, text: (f) => sqliteText(f), number: (f) => sqliteText(f) }),
  eventPoolIs: 'pool = ? COLLATE NOCASE',
  forUpdate: '',
  forUpdateSkipLocked: '',
  writeLockAtBegin: true,
  clock: async () => Date.now(),
};

const pgText = (field: string, column = 'data') => `((${column})::json ->> '${field}')`;

export const POSTGRES_FRAGMENTS: SqlFragments = {
  jsonText: pgText,
  jsonNumber: (field, column) => `(${pgText(field, column)})::float8`,
  jsonFlag: (field, column) => `(${pgText(field, column)})::boolean::int`,
  // The subquery is kept apart by OFFSET 0, so each row's JSON is parsed once.
  jsonRows: (source) => ({
    from: `(SELECT *, data::json AS j FROM ${source} OFFSET 0) e`,
    text: (f) => `(j ->> '${f}')`,
    number: (f) => `(j ->> '${f}')::float8`,
  }),
  eventPoolIs: 'lower(pool) = lower(?)',
  forUpdate: ' FOR UPDATE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
  writeLockAtBegin: false,
  readOnlySnapshot: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  async clock(sql) {
    const row = await sql.get<{ now: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8 AS now');
    return Number(row?.now);
  },
};
