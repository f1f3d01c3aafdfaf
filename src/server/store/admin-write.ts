/**
 * Every admin write (new, set, remove, purge, and any later verb) goes through `adminWrite`: the
 * read and the write of one command are one `BEGIN IMMEDIATE` transaction, so concurrent admins
 * queue on the write lock (this connection waits up to BUSY_TIMEOUT_MS) and each one reads what
 * the one before it wrote: all land, or one fails loudly with "database is locked". When the disk
 * is full, the disk reserve is released and the write tried once more: the switch always wins.
 */
import path from 'node:path';
import type { Db } from '../db';
import { isDiskFull, releaseReserve } from '../storage/disk';

export function dataDirOf(db: Db): string {
  return path.dirname(db.name);
}

/** Runs `write` (which reads what it needs, then writes) as one immediate transaction. */
export function adminWrite<T>(db: Db, write: () => T): T {
  const transaction = db.transaction(write);
  try {
    return transaction.immediate();
  } catch (error) {
    if (!isDiskFull(error) || !releaseReserve(dataDirOf(db))) throw error;
    return transaction.immediate();
  }
}
