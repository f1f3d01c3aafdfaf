/**
 * The `Sql` interface over a shared PostgreSQL (node-postgres pool). Queries are sent as prepared
 * statements (`?` numbered to `$n`); a transaction holds one pooled client from BEGIN to COMMIT.
 */
import pg from 'pg';
import { POSTGRES_FRAGMENTS } from './fragments';
import { numberPlaceholders, type Param, type RunResult, type Sql, type TransactionOptions } from './sql';

/** Every admin write takes this transaction-scoped advisory lock first (see TransactionOptions). */
export const ADMIN_WRITE_LOCK = 0x6d6c_0001;

// BIGINT (int8) and NUMERIC come back as numbers: the store keeps times in ms and counts, all far
// below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const numbered = new Map<string, string>();
function toPg(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    out = numberPlaceholders(text);
    if (numbered.size < 2000) numbered.set(text, out);
  }
  return out;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function over(
  queryable: Queryable,
  begin: (work: (tx: Sql) => Promise<unknown>, o: TransactionOptions) => Promise<unknown>,
): Sql {
  const query = async (text: string, params: readonly Param[]) =>
    queryable.query({ text: toPg(text), values: params as unknown[] });
  return {
    dialect: 'postgres',
    fragments: POSTGRES_FRAGMENTS,
    async all<T>(text: string, params: readonly Param[] = []) {
      return (await query(text, params)).rows as T[];
    },
    async get<T>(text: string, params: readonly Param[] = []) {
      return (await query(text, params)).rows[0] as T | undefined;
    },
    async run(text: string, params: readonly Param[] = []): Promise<RunResult> {
      return { changes: (await query(text, params)).rowCount ?? 0 };
    },
    async exec(text: string) {
      await queryable.query(text);
    },
    transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}) {
      return begin(work as (tx: Sql) => Promise<unknown>, options) as Promise<T>;
    },
  };
}

function inClient(client: pg.PoolClient): Sql {
  let depth = 0;
  // Nested: a savepoint on the same client (the outer transaction already holds any lock).
  const sql: Sql = over(client, async (work) => {
    const name = `sp${depth++}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work(sql);
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    } finally {
      depth--;
    }
  });
  return sql;
}

/** How often a bounded wait for the admin write lock tries again (as SQLite's admin writes do). */
const LOCK_RETRY_MS = 25;

/**
 * Takes the admin write lock within `waitMs`, else throws lock_not_available (55P03, isLockTimeout).
 * The wait is this process's, tried on a timer: not the server's `lock_timeout`, whose SIGALRM a
 * clock-faking test harness (libfaketime) keeps from ever firing.
 */
async function lockWithin(client: pg.PoolClient, waitMs: number): Promise<void> {
  const started = performance.now();
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      ADMIN_WRITE_LOCK,
    ]);
    if (rows[0]?.ok) return;
    const left = waitMs - (performance.now() - started);
    if (left <= 0) throw Object.assign(new Error(`the admin write lock was held past ${waitMs} ms`), { code: '55P03' });
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(LOCK_RETRY_MS, left)));
  }
}

export function postgresSql(pool: pg.Pool): Sql {
  return over(pool, async (work, options) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (options.exclusive) {
        if (options.lockWaitMs === undefined)
          await client.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_WRITE_LOCK]);
        else await lockWithin(client, options.lockWaitMs);
      }
      const result = await work(inClient(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  });
}
