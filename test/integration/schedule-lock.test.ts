/**
 * The scheduling API never answers 500 because of a lock (issue 21, finding 6), on both engines:
 * while another connection holds the store's write lock (SQLite `BEGIN IMMEDIATE` from another
 * process's connection, as an admin `purge` does; PostgreSQL an admin write's advisory lock), key
 * checks are reads and answer at once (a wrong key is always 401), writes wait for the lock at
 * most the lock wait, then answer 503 with Retry-After, and the keys' last uses are written
 * by a flush outside the request path, which fails quietly while locked and lands afterwards.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { buildApp } from '../../src/server/app';
import { SCHEDULE_BUSY_RETRY_AFTER_S } from '../../src/server/routes/schedule';
import { DATABASE_FILE } from '../../src/server/sql/sqlite-db';
import { openStore, type Store } from '../../src/server/sql/store';
import { adminWrite } from '../../src/server/store/admin-write';
import { ENGINES, type EngineLocation, emptyLocation } from '../support/engines';
import { seedTopology } from '../support/topology';

const HOST = 'meet.contoso.com';

describe.each(ENGINES)('the scheduling API under a held write lock (%s)', (engine) => {
  let at: EngineLocation;
  let store: Store;
  let app: FastifyInstance;
  let key: string;
  const admin = async (...argv: string[]) => runCommand(parseCommandLine(argv), at.location);

  beforeEach(async () => {
    at = await emptyLocation(engine);
    [key] = (
      await seedTopology(at.location, {
        pools: [{ identity: 'pool03.contoso.com', site: 'Redmond', webHost: HOST, sipDomain: 'contoso.com' }],
        apiKeys: [{ pool: 'pool03.contoso.com', name: 'Bot' }],
      })
    ).apiKeys as [string];
    store = await openStore(at.location);
    app = await buildApp({
      store,
      secret: Buffer.alloc(32, 1),
      distDir: at.location.dataDir,
      links: () => ({ kind: 'https' }),
      schedule: { lockWaitMs: 400, keyUseFlushMs: 3_600_000 },
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
    await at.cleanup();
  });

  const call = (kind: 'wrong' | 'post' | 'delete', i: number) =>
    app.inject({
      method: kind === 'delete' ? 'DELETE' : 'POST',
      url: kind === 'delete' ? `/api/v1/schedule/meetings/nobody@contoso.com/NOPE${i}` : '/api/v1/schedule/meetings',
      headers: {
        host: HOST,
        authorization: `Bearer ${kind === 'wrong' ? `mlk_wrong${i}` : key}`,
        ...(kind === 'delete' ? {} : { 'content-type': 'application/json' }),
      },
      remoteAddress: `127.0.0.${i + 1}`,
      payload: kind === 'delete' ? undefined : { organizer: 'alice@contoso.com', subject: `Sync ${i}` },
    });

  /** Holds the store's write lock as an admin purge would, until the returned function is called. */
  async function holdWriteLock(): Promise<() => Promise<void>> {
    if (engine === 'sqlite') {
      const other = new Database(path.join(at.location.dataDir, DATABASE_FILE));
      other.exec('BEGIN IMMEDIATE');
      other.prepare("UPDATE meta SET value = value WHERE name = 'kind'").run();
      return async () => {
        other.exec('COMMIT');
        other.close();
      };
    }
    const other = await openStore(at.location);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const taken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const writer = adminWrite(other, async (tx) => {
      await tx.get('SELECT 1');
      locked();
      await held;
    });
    await taken;
    return async () => {
      release();
      await writer;
      await other.close();
    };
  }

  it('answers every call without a 500: wrong keys 401 at once, writes 503 past the lock wait', {
    timeout: 30_000,
  }, async () => {
    const release = await holdWriteLock();
    const kinds = ['wrong', 'post', 'delete'] as const;
    const wrong = Array.from({ length: 10 }, (_, i) => call('wrong', i));
    const writes = Array.from({ length: 20 }, (_, i) => call(kinds[1 + (i % 2)] as 'post' | 'delete', i + 10));
    // Wrong keys are answered while the lock is still held.
    for (const r of await Promise.all(wrong)) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'api-key-invalid' });
    }
    // Writes wait at most lockWaitMs for the lock (held past it here), then 503 with Retry-After.
    const answers = await Promise.all(writes).finally(release);
    for (const r of answers) {
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'store-busy' });
      expect(r.headers['retry-after']).toBe(String(SCHEDULE_BUSY_RETRY_AFTER_S));
    }
    // Once free, a write goes through and a wrong key is still 401.
    expect((await call('post', 40)).statusCode).toBe(201);
    expect((await call('wrong', 41)).statusCode).toBe(401);
  });

  it("writes keys' last uses outside the request path: a locked flush is kept and lands later", {
    timeout: 30_000,
  }, async () => {
    const lastUsed = async () =>
      JSON.parse((await admin('api-keys', '--json'))[0] as string).keys[0].lastUsedAt as string | null;
    const badBody = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/schedule/meetings',
        headers: { host: HOST, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: { subject: 'no organizer' },
      });
    const release = await holdWriteLock();
    try {
      // A valid key is checked (and its use noted) while the lock is held: a read.
      expect((await badBody()).statusCode).toBe(400);
      // SQLite: the flush cannot write now; it says so and keeps the note. PostgreSQL: an admin
      // write's advisory lock does not stop it.
      expect(await app.apiKeyUse.flush()).toBe(engine === 'postgres');
    } finally {
      await release();
    }
    if (engine === 'sqlite') expect(await lastUsed()).toBeNull();
    expect(await app.apiKeyUse.flush()).toBe(true);
    expect(await lastUsed()).not.toBeNull();
  });
});
