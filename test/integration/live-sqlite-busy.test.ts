/**
 * Live meetings on the embedded store while another process holds SQLite's write lock (the admin
 * CLI during a purge or a config write): their writes wait on a timer and then land, rather than
 * failing or blocking the event loop.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/server/sql/store';
import { sqliteEngine } from '../support/live-engines';

const engine = sqliteEngine();
beforeAll(() => engine.setUp());
afterAll(async () => {
  await engine.reset();
  await engine.tearDown();
});

it('a join and a chat message made while another connection holds the write lock land once it is released', async () => {
  const live = await engine.openNode({});
  const organizer = await live.join('busy-meeting', 'Olga', 'organizer', false);
  expect(organizer).toBeDefined();
  const file = (engine.store() as SqliteStore).db.name;
  const blocker = new Database(file);
  try {
    blocker.exec('BEGIN IMMEDIATE');
    let settled = 0;
    const joining = live.join('busy-meeting', 'Ben', 'guest', false).finally(() => settled++);
    const chatting = live.chat(organizer as NonNullable<typeof organizer>, 'Hello', 'busy-1').finally(() => settled++);
    // One turn of the event loop: the join has met the lock by now and is waiting, not failed.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(0);
    blocker.exec('COMMIT');
    const ben = await joining;
    expect(ben?.displayName).toBe('Ben');
    expect(await chatting).toMatchObject({ ok: true });
    // The event loop was never blocked meanwhile: this process's other work went on.
    const roster = await live.roster('busy-meeting');
    expect(roster.map((p) => p.displayName)).toEqual(['Olga', 'Ben']);
  } finally {
    if (blocker.inTransaction) blocker.exec('ROLLBACK');
    blocker.close();
  }
});
