/**
 * When each scheduling-API key was last used, written outside the request path: a call only notes
 * the time in memory, and the notes are written in one short transaction every
 * API_KEY_USE_FLUSH_MS and when the service closes. So checking a key is a read, which neither
 * waits for nor fails on another writer's lock (an admin `purge` holding SQLite's write lock, a
 * PostgreSQL row lock). Best effort: a flush that fails (locked, store unreachable) keeps its
 * notes for the next one and is logged; no caller ever sees it. At most one interval of uses is
 * lost if the process dies, and `api-keys` shows a use up to one interval late.
 */
import type { Sql } from '../sql/sql';

export const API_KEY_USE_FLUSH_MS = 60_000;

export interface ApiKeyUse {
  /** Notes that the key with this hash was used at `at` (ms). */
  note(hash: string, at: number): void;
  /** Writes the notes now; false (notes kept for the next try) when the store refused. */
  flush(): Promise<boolean>;
  /** Stops the timer and writes what is noted (once; a failure is logged and dropped). */
  close(): Promise<void>;
}

export interface ApiKeyUseOptions {
  flushEveryMs?: number;
  /** Told about a flush that failed (the service logs a warning). */
  onFlushError?: (error: unknown) => void;
}

export function apiKeyUse(sql: Sql, options: ApiKeyUseOptions = {}): ApiKeyUse {
  let noted = new Map<string, number>();
  let running: Promise<boolean> | undefined;
  const flushOnce = async (): Promise<boolean> => {
    if (noted.size === 0) return true;
    const batch = noted;
    noted = new Map();
    try {
      await sql.transaction(async (tx) => {
        for (const [hash, at] of batch)
          await tx.run(
            'UPDATE api_keys SET last_used_at = ? WHERE hash = ? AND (last_used_at IS NULL OR last_used_at < ?)',
            [at, hash, at],
          );
      });
      return true;
    } catch (error) {
      // Kept for the next flush, merged with any newer use noted meanwhile.
      for (const [hash, at] of batch) noted.set(hash, Math.max(at, noted.get(hash) ?? 0));
      options.onFlushError?.(error);
      return false;
    }
  };
  const flush = () => {
    running ??= flushOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void flush(), options.flushEveryMs ?? API_KEY_USE_FLUSH_MS);
  timer.unref();
  return {
    note(hash, at) {
      noted.set(hash, Math.max(at, noted.get(hash) ?? 0));
    },
    flush,
    async close() {
      clearInterval(timer);
      await running;
      await flush();
    },
  };
}
