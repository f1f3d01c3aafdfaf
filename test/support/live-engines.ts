/**
 * Live meetings on each engine for the behaviour suite: in memory (fake timers move its clock) and
 * in PostgreSQL (a clock the test moves, deadlines swept on demand). `settle()` waits until what
 * was committed has reached the sinks (PostgreSQL delivers through NOTIFY).
 */
import { inject, vi } from 'vitest';
import type { Live, LiveLimits, Sink } from '../../src/server/conference/live';
import { MemoryLiveMeetings } from '../../src/server/conference/live-memory';
import { PostgresLiveMeetings } from '../../src/server/conference/live-postgres';
import { openPostgresStore, type Store } from '../../src/server/sql/store';
import type { StreamEvent } from '../../src/shared/api-schema';
import { freshDatabase } from './postgres';

export interface Harness {
  live: Live;
  /** Moves the clock (timers fire, deadlines are swept) and lets deliveries land. */
  advance(ms: number): Promise<void>;
  /** Lets every committed change reach the sinks. */
  settle(): Promise<void>;
}

export interface Engine {
  name: 'memory' | 'postgres';
  setUp(): Promise<void>;
  /** A live-meetings instance (another node, on PostgreSQL). */
  open(limits?: Partial<LiveLimits>): Promise<Harness>;
  /** Closes what this test opened and forgets its meetings. */
  reset(): Promise<void>;
  tearDown(): Promise<void>;
}

export function memoryEngine(): Engine {
  const opened: Live[] = [];
  return {
    name: 'memory',
    async setUp() {},
    async open(limits = {}) {
      // The chat limiter and timers read the faked clock.
      vi.useFakeTimers();
      const live = new MemoryLiveMeetings(limits);
      opened.push(live);
      return {
        live,
        async advance(ms) {
          vi.advanceTimersByTime(ms);
        },
        async settle() {},
      };
    },
    async reset() {
      for (const live of opened.splice(0)) await live.close();
      vi.useRealTimers();
    },
    async tearDown() {},
  };
}

export const LIVE_TABLES =
  'live_meetings, live_participants, live_events, live_chat_sends, live_streams, live_nodes, live_signals, live_removed';

export interface PostgresEngine extends Engine {
  store(): Store;
  clock: { now: number };
  opened: PostgresLiveMeetings[];
  openNode(limits?: Partial<LiveLimits>, nodeName?: string): Promise<PostgresLiveMeetings>;
}

export function postgresEngine(): PostgresEngine {
  let store: Store | undefined;
  let drop: (() => Promise<void>) | undefined;
  let serial = 0;
  const clock = { now: 1_700_000_000_000 };
  const opened: PostgresLiveMeetings[] = [];
  const engine: PostgresEngine = {
    name: 'postgres',
    clock,
    opened,
    store: () => store as Store,
    async setUp() {
      const db = await freshDatabase(inject('postgresUrl'));
      drop = db.drop;
      store = await openPostgresStore(db.url);
    },
    async openNode(limits = {}, nodeName = `node-${serial++}`) {
      const s = store as Extract<Store, { dialect: 'postgres' }>;
      const live = await PostgresLiveMeetings.open(s.pool, s.url, limits, {
        nodeName,
        now: () => clock.now,
        timers: false,
      });
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
      await store?.sql.exec(`TRUNCATE ${LIVE_TABLES}`);
    },
    async tearDown() {
      await store?.close();
      await drop?.();
    },
  };
  return engine;
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
