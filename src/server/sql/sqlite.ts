/**
 * The `Sql` interface over the embedded better-sqlite3 database. better-sqlite3 is synchronous, so
 * every call completes before its promise resolves. A transaction's work runs between BEGIN and
 * COMMIT on the one connection, so:
 * - top-level transactions run one after another (a second waits for the first to end), as they
 *   would on separate PostgreSQL connections; otherwise two interleaved ones would share a BEGIN;
 * - inside, use the `tx` handed to the work (its `transaction` is a savepoint): calling the outer
 *   `sql.transaction` from inside would wait for itself;
 * - the work must not wait on anything outside the store (timers, network): other requests' reads
 *   and writes on this connection would land inside the open transaction meanwhile.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { SQLITE_FRAGMENTS } from './fragments';
import type { Param, RunResult, Sql, TransactionOptions } from './sql';
import { BUSY_TIMEOUT_MS, type Db, isBusy } from './sqlite-db';
import { statement } from './statements';

type Bindable = Exclude<Param, boolean>;

/** Per connection: the end of the last top-level transaction asked for (every `Sql` over it shares it). */
const lastTransaction = new WeakMap<Db, Promise<unknown>>();

const bind = (params: readonly Param[]): Bindable[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

export interface SqliteSqlOptions {
  /**
   * For a connection that never waits inside SQLite (busy_timeout 0, which would block the event
   * loop): every top-level transaction takes the write lock at BEGIN (IMMEDIATE), and a statement or
   * transaction that meets another process's lock (the admin CLI) is tried again every
   * BUSY_RETRY_MS, for up to BUSY_TIMEOUT_MS, without blocking. A retried transaction's work runs
   * again from the start (its first try was rolled back).
   */
  retryWhenBusy?: boolean;
}

const BUSY_RETRY_MS = 25;

export function sqliteSql(db: Db, options: SqliteSqlOptions = {}): Sql {
  const patient = async <T>(attempt: () => T | Promise<T>): Promise<T> => {
    if (!options.retryWhenBusy) return attempt();
    const started = performance.now();
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error) || db.inTransaction || performance.now() - started >= BUSY_TIMEOUT_MS) throw error;
        await sleep(BUSY_RETRY_MS);
      }
    }
  };
  // Inside a transaction the lock is already held: a statement there never waits for it.
  const queries: Omit<Sql, 'transaction'> = {
    dialect: 'sqlite',
    fragments: SQLITE_FRAGMENTS,
    async all<T>(text: string, params: readonly Param[] = []) {
      return patient(() => statement(db, text).all(...bind(params)) as T[]);
    },
    async get<T>(text: string, params: readonly Param[] = []) {
      return patient(() => statement(db, text).get(...bind(params)) as T | undefined);
    },
    async run(text: string, params: readonly Param[] = []): Promise<RunResult> {
      return patient(() => ({ changes: statement(db, text).run(...bind(params)).changes }));
    },
    async exec(text: string) {
      db.exec(text);
    },
  };

  /** The `Sql` handed to work at `depth`: its transactions are savepoints. */
  const inside = (depth: number): Sql => ({
    ...queries,
    transaction: (work) => savepoint(depth, work),
  });

  async function savepoint<T>(depth: number, work: (tx: Sql) => Promise<T>): Promise<T> {
    const name = `sp${depth}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work(inside(depth + 1));
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  }

  const retryWhenBusy = options.retryWhenBusy === true;

  async function topLevel<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions): Promise<T> {
    // Someone holds a transaction on this connection outside this interface (the synchronous
    // telemetry code, a test): nest inside it.
    if (db.inTransaction) return savepoint(0, work);
    db.exec(options.exclusive || retryWhenBusy ? 'BEGIN IMMEDIATE' : 'BEGIN');
    try {
      const result = await work(inside(0));
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    ...queries,
    transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      const turn = (lastTransaction.get(db) ?? Promise.resolve()).then(() =>
        db.inTransaction ? topLevel(work, options) : patient(() => topLevel(work, options)),
      );
      lastTransaction.set(
        db,
        turn.catch(() => {}),
      );
      return turn;
    },
  };
}
