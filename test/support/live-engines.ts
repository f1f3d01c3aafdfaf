/**
 * Live meetings on each engine for the behaviour suite: in the SQLite store (a temp DATA_DIR) and
 * in PostgreSQL, each with a clock the test moves and deadlines swept on demand. `settle()` waits
 * until what was committed has reached the sinks (both deliver through their notifier).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { Live, LiveLimits, Sink } from '../../src/server/live/live';
import { postgresNotifier } from '../../src/server/live/live-listener';
import type { Notifier } from '../../src/server/live/live-notifier';
import { StoreLiveMeetings } from '../../src/server/live/live-store';
import { engineOf } from '../../src/server/sql/engine';
import { openDatabase } from '../../src/server/sql/sqlite-db';
import { openPostgresStore, type Store, sqliteStore } from '../../src/server/sql/store';
import type { StreamEvent } from '../../src/shared/api-schema';
import { freshDatabase } from './postgres';

export interface Harness {
  live: Live;
  /** Moves the clock (deadlines are swept) and lets deliveries land. */
  advance(ms: number): Promise<void>;
  /** Lets every committed change reach the sinks. */
  settle(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  setUp(): Promise<void>;
  /** A live-meetings instance (another node on the same store). */
  open(limits?: Partial<LiveLimits>): Promise<Harness>;
  /** Closes what this test opened and forgets its meetings. */
  reset(): Promise<void>;
  tearDown(): Promise<void>;
}

export const LIVE_TABLES =
  'live_meetings, live_participants, live_events, live_chat_sends, live_streams, live_nodes, live_signals, live_removed';

export interface StoreEngine extends Engine {
  store(): Store;
  clock: { now: number };
  opened: StoreLiveMeetings[];
  openNode(limits?: Partial<LiveLimits>, nodeName?: string): Promise<StoreLiveMeetings>;
}

/** Kept for the tests written against PostgreSQL only. */
export type PostgresEngine = StoreEngine;

interface Made {
  store: Store;
  /** Each node's own notifier (PostgreSQL); none: the engine's wiring makes the live meetings. */
  notifier?: Notifier;
  /** Forgets every meeting. */
  clear(sql: Store['sql']): Promise<void>;
  drop(): Promise<void>;
}

function storeEngine(name: Engine['name'], make: () => Promise<Made>): StoreEngine {
  let made: Made | undefined;
  let serial = 0;
  const clock = { now: 1_700_000_000_000 };
  const opened: StoreLiveMeetings[] = [];
  const engine: StoreEngine = {
    name,
    clock,
    opened,
    store: () => (made as { store: Store }).store,
    async setUp() {
      made = await make();
    },
    async openNode(limits = {}, nodeName = `node-${serial++}`) {
      const { store, notifier } = made as Made;
      const options = { nodeName, now: () => clock.now, timers: false };
      // SQLite: through the engine's wiring (its own connection); PostgreSQL: a notifier per node.
      const live = (
        notifier
          ? await StoreLiveMeetings.open(store.sql, notifier, limits, options)
          : await engineOf(store).openLive(limits, options)
      ) as StoreLiveMeetings;
      opened.push(live);
      return live;
    },
    async open(limits = {}) {
      const live = await engine.openNode(limits);
      return {
        live,
        async advance(ms) {
          clock.now += ms;
          await live.sweep();
          await live.settle();
        },
        settle: () => live.settle(),
      };
    },
    async reset() {
      for (const live of opened.splice(0)) await live.close();
      if (made) await made.clear(made.store.sql);
    },
    async tearDown() {
      await made?.store.close();
      await made?.drop();
    },
  };
  return engine;
}

export function sqliteEngine(): StoreEngine {
  return storeEngine('sqlite', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-live-'));
    return {
      store: sqliteStore(openDatabase(dataDir), dataDir),
      async clear(sql) {
        await sql.transaction(async (tx) => {
          for (const table of LIVE_TABLES.split(', ').reverse()) await tx.run(`DELETE FROM ${table}`);
        });
      },
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
}

export function postgresEngine(): StoreEngine {
  return storeEngine('postgres', async () => {
    const db = await freshDatabase(inject('postgresUrl'));
    const store = await openPostgresStore(db.url);
    return {
      store,
      notifier: postgresNotifier((store as Extract<Store, { url: string }>).url),
      clear: (sql) => sql.exec(`TRUNCATE ${LIVE_TABLES}`),
      drop: db.drop,
    };
  });
}

export interface Recorded {
  sink: Sink;
  events: { id?: number; event: StreamEvent }[];
  closed: boolean;
  /**
   * Resolves with the first event that `match` accepts among those no earlier `next` went past
   * (already recorded, or still to come), so a test never races the delivery it waits for.
   */
  next(match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves once the sink is closed. */
  whenClosed(timeoutMs?: number): Promise<void>;
}

export function recorder(): Recorded {
  let waiter: { match: (event: StreamEvent) => boolean; resolve: (event: StreamEvent) => void } | undefined;
  const closers: (() => void)[] = [];
  /** Events before this index were looked at by an earlier `next`. */
  let cursor = 0;
  const look = () => {
    while (waiter && cursor < rec.events.length) {
      const { event } = rec.events[cursor++] as { event: StreamEvent };
      if (waiter.match(event)) {
        const { resolve } = waiter;
        waiter = undefined;
        resolve(event);
      }
    }
  };
  const rec: Recorded = {
    events: [],
    closed: false,
    sink: {
      send: (id, event) => {
        rec.events.push({ id, event });
        look();
      },
      close: () => {
        rec.closed = true;
        for (const resolve of closers.splice(0)) resolve();
      },
    },
    next(match, timeoutMs = 5000) {
      if (waiter) throw new Error('one next() at a time');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error('no such event arrived'));
        }, timeoutMs);
        waiter = {
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        look();
      });
    },
    whenClosed(timeoutMs = 5000) {
      if (rec.closed) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the stream was not closed')), timeoutMs);
        closers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
  return rec;
}

export const chats = (rec: Recorded) =>
  rec.events.flatMap((e) => (e.event.type === 'chat' ? [`${e.id}:${e.event.message.text}`] : []));
