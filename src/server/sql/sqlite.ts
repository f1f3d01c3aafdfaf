/**
 * The `Sql` interface over the embedded better-sqlite3 database. better-sqlite3 is synchronous, so
 * every call completes before its promise resolves; a transaction's work runs between BEGIN and
 * COMMIT with nothing else on the connection as long as it awaits only this `Sql` (no timers, no
 * network): the work must not wait on anything outside the store.
 */
import type { Db } from '../db';
import { statement } from '../statements';
import type { Param, RunResult, Sql, TransactionOptions } from './sql';

type Bindable = Exclude<Param, boolean>;

const bind = (params: readonly Param[]): Bindable[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

export function sqliteSql(db: Db): Sql {
  let depth = 0;
  const sql: Sql = {
    dialect: 'sqlite',
    async all<T>(text: string, params: readonly Param[] = []) {
      return statement(db, text).all(...bind(params)) as T[];
    },
    async get<T>(text: string, params: readonly Param[] = []) {
      return statement(db, text).get(...bind(params)) as T | undefined;
    },
    async run(text: string, params: readonly Param[] = []): Promise<RunResult> {
      return { changes: statement(db, text).run(...bind(params)).changes };
    },
    async exec(text: string) {
      db.exec(text);
    },
    async transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      // A nested transaction is a savepoint, as better-sqlite3 does it.
      const nested = depth > 0 || db.inTransaction;
      const name = `sp${depth}`;
      db.exec(nested ? `SAVEPOINT ${name}` : options.exclusive ? 'BEGIN IMMEDIATE' : 'BEGIN');
      depth++;
      try {
        const result = await work(sql);
        depth--;
        db.exec(nested ? `RELEASE ${name}` : 'COMMIT');
        return result;
      } catch (error) {
        depth--;
        if (db.inTransaction) db.exec(nested ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
        throw error;
      }
    },
  };
  return sql;
}
