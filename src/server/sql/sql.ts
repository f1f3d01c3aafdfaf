/**
 * One way to speak to the store, whatever engine holds it: the embedded SQLite file (DATA_DIR) or
 * a shared PostgreSQL (DATABASE_URL). Store modules write their SQL once against this interface:
 * - placeholders are `?` (the PostgreSQL side numbers them);
 * - SQL stays in the subset both engines share (`INSERT … ON CONFLICT`, `RETURNING`, `COALESCE`);
 *   where the engines differ (JSON fields, case-insensitive keys, locks), use `fragments`;
 * - a transaction gets its own `Sql`; nothing else runs on its connection while it is open.
 */
import type { SqlFragments } from './fragments';

export type Dialect = 'sqlite' | 'postgres';

export type Param = string | number | bigint | boolean | null | Buffer | Uint8Array;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface TransactionOptions {
  /**
   * Take the write lock at the start (SQLite `BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped
   * advisory lock shared by every admin write), so that a read-then-write cannot interleave with
   * another writer's.
   */
  exclusive?: boolean;
  /**
   * PostgreSQL: give up waiting for that lock after this many ms (SQLSTATE 55P03, see
   * isLockTimeout; the lock is tried on a timer meanwhile). SQLite's callers bound their own wait
   * (admin-write.ts).
   */
  lockWaitMs?: number;
}

/** PostgreSQL's lock_not_available: a lock wait passed `lockWaitMs`. */
export function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '55P03';
}

export interface Sql {
  readonly dialect: Dialect;
  /** This engine's SQL where the engines differ. */
  readonly fragments: SqlFragments;
  /** Every row. */
  all<T = Record<string, unknown>>(text: string, params?: readonly Param[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(text: string, params?: readonly Param[]): Promise<T | undefined>;
  /** A statement that returns no rows. */
  run(text: string, params?: readonly Param[]): Promise<RunResult>;
  /** Several statements, no parameters (schema). */
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …); `?` inside quotes is left alone. */
export function numberPlaceholders(text: string): string {
  let n = 0;
  let out = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      n++;
      out += `$${n}`;
    } else out += ch;
  }
  return out;
}
