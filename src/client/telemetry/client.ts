/**
 * The telemetry client, started only when the pool's flag is true. It records events (persisted
 * at once), and delivers them in batches: on a timer, when enough are queued, soon after an error,
 * and when the page is hidden or hides for good (never on unload/beforeunload, which break the
 * back/forward cache). One request in flight at a time; failures back off; offline pauses.
 */
import { TELEMETRY_PATH } from '../../shared/constants';
import type { EventBody, TelemetryEvent, UsageMetric } from '../../shared/telemetry-schema';
import { eventId, randomUuid } from '../random-id';
import { QUEUE_DB_NAME } from '../telemetry-storage';
import { backoffDelay } from './backoff';
import { deliver, type SendResult, takeBatch } from './batches';
import { censusEvent, type DeviceFacts, deviceFacts } from './census';
import { deviceId } from './device';
import { errorEvent, MAX_ERRORS_PER_SESSION } from './errors';
import type { ErrorReport, MeetingContext } from './events';
import { openQueueStore, type QueueStore } from './persist';
import { beaconBatch, postBatch } from './sender';
import { UsageCounters } from './usage';
import { hashUserId } from './user-hash';
import { watchVitals } from './vitals';

export interface TelemetryOptions {
  /** The pool's TelemetryEndpoint; empty means this origin. */
  endpoint: string;
}

export interface TelemetryClient {
  usage(metric: UsageMetric, value: number): void;
  error(report: ErrorReport): void;
  setMeeting(context: MeetingContext): void;
  setUser(userId: string): void;
  /** Stops for good. With purge, drops everything not yet delivered (the caller wipes storage). */
  stop(purge: boolean): void;
}

export const FLUSH_INTERVAL_MS = 15_000;
export const ERROR_FLUSH_MS = 2_000;
const FLUSH_SIZE = 30;
const MAX_BATCH_EVENTS = 50;
/** Keepalive requests share a 64 KB budget per page; two batches fit with room to spare. */
const MAX_BATCH_BYTES = 30_000;
const MAX_QUEUE = 1000;

const offline = () => navigator.onLine === false;

/** This tab, for the lifetime of the page: owns its rows in the persisted queue. */
const TAB = randomUuid();
/** Once per page session, across stop and restart (a purge resets it: new device, new census). */
let censusDone = false;
let errorsThisSession = 0;

export function startTelemetry(
  options: TelemetryOptions,
  known: { meeting?: MeetingContext; userId?: string },
  onDisabled: () => void,
): TelemetryClient {
  const endpoint = options.endpoint || TELEMETRY_PATH;
  const device = deviceId();
  const counters = new UsageCounters();
  let meeting = known.meeting;
  let userId = known.userId;
  let queue: TelemetryEvent[] = [];
  const inFlight = new Set<string>();
  let stopped = false;
  let purged = false;
  let sending = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Number.POSITIVE_INFINITY;
  /** Set by a failed attempt: nothing but coming back online may send before it (backoff). */
  let notBefore = 0;
  let inFlightBytes = 0;
  let store: QueueStore | undefined;
  const ready = openQueueStore(TAB).then(async (opened) => {
    if (stopped) {
      opened?.close();
      // Turned off while the database was being opened (and so perhaps created): delete it again.
      if (purged) indexedDB.deleteDatabase(QUEUE_DB_NAME);
      return;
    }
    store = opened;
    const adopted = (await opened?.adopt()) ?? [];
    const have = new Set(queue.map((e) => e.id));
    queue = [...adopted.filter((e) => !have.has(e.id)), ...queue].slice(-MAX_QUEUE);
    void store?.put([...queue.filter((e) => !adopted.includes(e)), ...(store?.exclusive ? counters.open() : [])]);
    if (adopted.length) schedule(1000);
  });

  const enqueue = (event: TelemetryEvent) => {
    if (stopped || queue.length >= MAX_QUEUE) return;
    queue.push(event);
    void store?.put([event]);
    if (queue.length >= FLUSH_SIZE) schedule(0);
  };
  const add = (body: EventBody) => enqueue({ ...body, id: eventId(), ts: Date.now() } as TelemetryEvent);

  const sealUsage = () => {
    for (const event of counters.seal()) enqueue(event);
  };

  let facts: DeviceFacts | undefined;
  let hashedUser: string | undefined;
  const factsReady = deviceFacts().then((f) => {
    facts = f;
  });
  /**
   * The census, once per page session: as soon as the person's UserID is known (after join), or
   * when the page hides first (a launcher-only visit), without a UserID then.
   */
  const census = () => {
    if (censusDone || !facts) return;
    censusDone = true;
    add(censusEvent(facts, hashedUser));
  };
  const learnUser = (id: string) => {
    userId = id;
    void Promise.all([hashUserId(id), factsReady]).then(([hash]) => {
      hashedUser = hash;
      census();
    });
  };

  /** Asks for a flush within `delay` ms: an earlier request wins, a backoff is respected. */
  function schedule(delay: number) {
    if (stopped) return;
    const due = Math.max(Date.now() + delay, notBefore);
    if (timer !== undefined && timerDue <= due) return;
    clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(() => {
      timer = undefined;
      timerDue = Number.POSITIVE_INFINITY;
      void flush();
    }, due - Date.now());
  }
  const backOff = (retryAfterMs = 0) => {
    notBefore = Date.now() + backoffDelay(attempt++, retryAfterMs);
    schedule(0);
  };

  const send = (events: TelemetryEvent[]): Promise<SendResult> =>
    postBatch(endpoint, { v: 1, deviceId: device, events });

  const settle = (ids: string[]) => {
    const done = new Set(ids);
    queue = queue.filter((e) => !done.has(e.id));
    void store?.remove(ids);
  };

  async function flush(): Promise<void> {
    await ready;
    if (stopped || sending) return;
    sealUsage();
    const waiting = queue.filter((e) => !inFlight.has(e.id));
    if (!waiting.length) return schedule(FLUSH_INTERVAL_MS);
    if (offline()) return; // the 'online' listener resumes
    const batch = takeBatch(waiting, MAX_BATCH_EVENTS, MAX_BATCH_BYTES);
    const bytes = JSON.stringify(batch).length;
    sending = true;
    inFlightBytes += bytes;
    for (const e of batch) inFlight.add(e.id);
    const { settled, outcome } = await deliver(batch, send);
    for (const e of batch) inFlight.delete(e.id);
    inFlightBytes -= bytes;
    sending = false;
    if (stopped) return;
    settle(settled);
    if (outcome.kind === 'disabled') return onDisabled();
    if (outcome.kind === 'retry') {
      if (offline()) return;
      return backOff(outcome.retryAfterMs);
    }
    attempt = 0;
    notBefore = 0;
    schedule(queue.length > inFlight.size ? 0 : FLUSH_INTERVAL_MS);
  }

  /**
   * The page is hidden and may never be shown again: everything still waiting goes out now, by
   * keepalive fetch (its answer settles the rows if the page lives on) or, if the browser refuses
   * that, by beacon. Rows stay persisted until acknowledged, so an undelivered batch goes out on
   * the next visit and the service's dedupe keeps it stored once.
   */
  const onHidden = () => {
    if (stopped) return;
    census();
    sealUsage();
    // Keepalive requests in flight share the browser's 64 KB budget with these.
    let budget = 60_000 - inFlightBytes;
    let waiting = queue.filter((e) => !inFlight.has(e.id));
    while (waiting.length && budget > 0) {
      const batch = takeBatch(waiting, MAX_BATCH_EVENTS, Math.min(MAX_BATCH_BYTES, budget));
      const body = { v: 1 as const, deviceId: device, events: batch };
      budget -= JSON.stringify(body).length;
      if (budget < 0) break;
      waiting = waiting.slice(batch.length);
      for (const e of batch) inFlight.add(e.id);
      void postBatch(endpoint, body).then((result) => {
        for (const e of batch) inFlight.delete(e.id);
        if (stopped) return;
        if (result.kind === 'sent' || result.kind === 'drop') settle(batch.map((e) => e.id));
        else if (result.kind === 'disabled') onDisabled();
        // A closing page's keepalive fetch rejects in the page yet still goes out: no second copy.
        else if (result.kind === 'retry' && (closing || !beaconBatch(endpoint, body))) backOff();
      });
    }
  };
  /** The page is going away for good (not into the back/forward cache). */
  let closing = false;
  const onPageHide = (event: PageTransitionEvent) => {
    closing = !event.persisted;
    onHidden();
  };
  const onPageShow = () => {
    closing = false;
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onHidden();
    else schedule(1000);
  };
  const onOnline = () => {
    notBefore = 0;
    schedule(0);
  };

  watchVitals((body) => add(body));
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  window.addEventListener('online', onOnline);
  if (userId !== undefined) learnUser(userId);
  schedule(FLUSH_INTERVAL_MS);

  return {
    usage(metric, value) {
      if (stopped) return;
      const open = counters.add(metric, value, meeting?.federationPartner);
      // Kept on disk as it grows (same id, so the row is rewritten), for a tab that dies before the
      // next flush. Where other tabs could adopt the row, it waits for the seal instead.
      if (open && store?.exclusive) void store.put([open]);
      // A join is worth sending soon and a meeting's end (a natural break) at once, which leaves the
      // closing page little to carry; IM counts ride along with the next flush.
      if (metric === 'meetingMinutes') schedule(0);
      else if (metric === 'joinSuccess') schedule(ERROR_FLUSH_MS);
    },
    error(report) {
      if (errorsThisSession >= MAX_ERRORS_PER_SESSION) return;
      errorsThisSession++;
      add(errorEvent(report, userId));
      schedule(ERROR_FLUSH_MS);
    },
    setMeeting(context) {
      meeting = context;
    },
    setUser: learnUser,
    stop(purge) {
      if (!purge) sealUsage(); // recorded while on: kept for when the pool can be read again
      stopped = true;
      purged = purge;
      clearTimeout(timer);
      watchVitals(undefined);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      window.removeEventListener('online', onOnline);
      queue = [];
      if (purge) censusDone = false;
      void ready.then(() => store?.close());
    },
  };
}
