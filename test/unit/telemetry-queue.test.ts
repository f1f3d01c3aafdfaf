/** The persisted queue (IndexedDB, here fake-indexeddb): capped in count and age, safe across tabs. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_AGE_MS, MAX_PERSISTED, openQueueStore, type QueueStore } from '../../src/client/telemetry/persist';
import { QUEUE_DB_NAME } from '../../src/client/telemetry-storage';
import type { TelemetryEvent } from '../../src/shared/telemetry-schema';

/** Web Locks as far as the queue uses them: a lock held until released, query(), one at a time. */
class FakeLocks {
  held = new Map<string, () => void>();
  async request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    if (name.includes(':tab:')) {
      this.held.set(name, () => this.held.delete(name));
      return new Promise<T>(() => {});
    }
    return callback();
  }
  async query() {
    return { held: [...this.held.keys()].map((name) => ({ name })), pending: [] };
  }
  /** The tab that held this lock is gone. */
  release(owner: string) {
    this.held.get(`${QUEUE_DB_NAME}:tab:${tabId(owner)}`)?.();
  }
}

const event = (n: number, value = 1): TelemetryEvent => ({
  id: `evt-${String(n).padStart(6, '0')}`,
  type: 'usage',
  ts: n,
  metric: 'imSent',
  value,
});
const ids = (events: TelemetryEvent[]) => events.map((e) => e.id);
let locks: FakeLocks;
const open: QueueStore[] = [];

let run = 0;
/** Tab ids are unique per page; so are they per test here. */
const tabId = (name: string) => `${name}-${run}`;

async function store(owner: string): Promise<QueueStore> {
  const s = await openQueueStore(tabId(owner));
  if (!s) throw new Error('no store');
  open.push(s);
  return s;
}

beforeEach(() => {
  run++;
  locks = new FakeLocks();
  vi.stubGlobal('navigator', { locks });
});

afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(QUEUE_DB_NAME);
    request.onsuccess = request.onerror = () => resolve();
  });
});

describe('persisted queue', () => {
  it('keeps events until removed, oldest first', async () => {
    const tab = await store('tab-a');
    await tab.put([event(1), event(2)]);
    await tab.put([event(3)]);
    await tab.remove(['evt-000002']);
    expect(ids(await tab.adopt())).toEqual(['evt-000001', 'evt-000003']);
  });

  it('survives a reload: the next page adopts what a gone tab left', async () => {
    const before = await store('tab-a');
    await before.put([event(1), event(2)]);
    before.close();
    locks.release('tab-a');
    const after = await store('tab-b');
    expect(ids(await after.adopt())).toEqual(['evt-000001', 'evt-000002']);
  });

  it('never adopts the events of a tab that is still open', async () => {
    const a = await store('tab-a');
    await a.put([event(1)]);
    const b = await store('tab-b');
    await b.put([event(2)]);
    expect(ids(await b.adopt())).toEqual(['evt-000002']);
    expect(ids(await a.adopt())).toEqual(['evt-000001']);
    locks.release('tab-a');
    expect(ids(await b.adopt())).toEqual(['evt-000001', 'evt-000002']);
  });

  it('a row put again under its id is rewritten, not doubled: an open usage counter as it grows', async () => {
    const a = await store('a');
    expect(a.exclusive).toBe(true);
    await a.put([event(1, 1)]);
    await a.put([event(1, 3)]);
    locks.release('a');
    expect(await (await store('b')).adopt()).toEqual([event(1, 3)]);
  });

  it('without Web Locks, adopts everything (the service dedupes by event id)', async () => {
    vi.stubGlobal('navigator', {});
    const a = await store('tab-a');
    expect(a.exclusive, 'no open counter is rewritten where another tab may have sent it').toBe(false);
    await a.put([event(1)]);
    const b = await store('tab-b');
    expect(ids(await b.adopt())).toEqual(['evt-000001']);
  });

  it(`is capped at ${MAX_PERSISTED} events, dropping the oldest`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tab = await store('tab-a');
    for (let i = 0; i < MAX_PERSISTED + 20; i += 10) {
      vi.setSystemTime(1_000_000 + i);
      await tab.put(Array.from({ length: 10 }, (_, k) => event(i + k)));
    }
    const kept = await tab.adopt();
    expect(kept).toHaveLength(MAX_PERSISTED);
    expect(kept[0]?.id).toBe('evt-000020');
  });

  it('drops events older than 7 days', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000_000);
    const tab = await store('tab-a');
    await tab.put([event(1)]);
    vi.setSystemTime(1_000_000_000 + MAX_AGE_MS - 1000);
    await tab.put([event(2)]);
    vi.setSystemTime(1_000_000_000 + MAX_AGE_MS + 1000);
    expect(ids(await tab.adopt())).toEqual(['evt-000002']);
  });
});
