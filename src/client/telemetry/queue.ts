/**
 * The events waiting for delivery: in memory (the source of truth while the page lives) and
 * mirrored to the persisted queue (persist.ts), so a reload, crash or closed tab loses nothing.
 * On opening, this tab adopts its own leftovers and orphans of closed tabs.
 */
import type { TelemetryEvent } from '../../shared/telemetry-schema';
import { QUEUE_DB_NAME } from '../telemetry-storage';
import { openQueueStore, type QueueStore } from './persist';
import { MAX_QUEUE } from './policy';

export class EventQueue {
  private events: TelemetryEvent[] = [];
  private readonly inFlight = new Set<string>();
  private store: QueueStore | undefined;
  private closed = false;
  private purged = false;
  /** Bytes of keepalive requests in flight: they share the browser's budget. */
  inFlightBytes = 0;
  /** Resolves once the persisted queue is open, with the number of events adopted from it. */
  readonly ready: Promise<number>;

  /** `openCounters`: rows to write at once where only this tab can adopt them (usage.ts). */
  constructor(tab: string, openCounters: () => TelemetryEvent[]) {
    this.ready = openQueueStore(tab).then(async (opened) => {
      if (this.closed) {
        opened?.close();
        // Turned off while the database was being opened (and so perhaps created): delete it again.
        if (this.purged) indexedDB.deleteDatabase(QUEUE_DB_NAME);
        return 0;
      }
      this.store = opened;
      const adopted = (await opened?.adopt()) ?? [];
      const have = new Set(this.events.map((e) => e.id));
      const recorded = this.events;
      this.events = [...adopted.filter((e) => !have.has(e.id)), ...this.events].slice(-MAX_QUEUE);
      void opened?.put([...recorded, ...(opened.exclusive ? openCounters() : [])]);
      return adopted.length;
    });
  }

  get size(): number {
    return this.events.length;
  }

  /** Queues an event (and persists it); false when closed or full. */
  add(event: TelemetryEvent): boolean {
    if (this.closed || this.events.length >= MAX_QUEUE) return false;
    this.events.push(event);
    void this.store?.put([event]);
    return true;
  }

  /**
   * Rewrites a row in place (an open usage counter, same id), only where no other tab can adopt
   * it: an adopted copy would reach the service first.
   */
  keep(event: TelemetryEvent): void {
    if (this.store?.exclusive) void this.store.put([event]);
  }

  /** Queued and not in flight, oldest first. */
  waiting(): TelemetryEvent[] {
    return this.events.filter((e) => !this.inFlight.has(e.id));
  }

  hasMoreThanInFlight(): boolean {
    return this.events.length > this.inFlight.size;
  }

  take(batch: readonly TelemetryEvent[]): void {
    for (const e of batch) this.inFlight.add(e.id);
  }

  release(batch: readonly TelemetryEvent[]): void {
    for (const e of batch) this.inFlight.delete(e.id);
  }

  /** Delivered or undeliverable: never to be sent again. */
  settle(ids: readonly string[]): void {
    if (!ids.length) return;
    const done = new Set(ids);
    this.events = this.events.filter((e) => !done.has(e.id));
    void this.store?.remove([...ids]);
  }

  /** Stops for good; with purge, the caller wipes storage (and an opening database is deleted). */
  close(purge: boolean): void {
    this.closed = true;
    this.purged = purge;
    this.events = [];
    void this.ready.then(() => this.store?.close());
  }
}
