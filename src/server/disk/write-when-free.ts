/**
 * How the server writes without ever blocking its event loop: its connection never waits for a
 * lock (busy_timeout 0, http/app.ts), so a write that meets another process's lock (the admin CLI) is
 * tried again on a timer. Every server-side write outside the ingest's group commit uses this.
 */
import type { Db } from '../sql/sqlite-db';
import { isBusy } from './disk';

const BUSY_RETRY_MS = 25;

/** Sees the CPU time each write took (tests: no write may freeze the loop). */
export type StepObserver = (cpuMs: number) => void;

export async function writeWhenFree<T>(db: Db, write: () => T, observe?: StepObserver): Promise<T> {
  const transaction = db.transaction(write);
  for (;;) {
    try {
      const started = observe && process.cpuUsage();
      const result = transaction.immediate();
      if (started) {
        const used = process.cpuUsage(started);
        observe?.((used.user + used.system) / 1000);
      }
      return result;
    } catch (error) {
      if (!isBusy(error)) throw error;
      await new Promise<void>((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}
