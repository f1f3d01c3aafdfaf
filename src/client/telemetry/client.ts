/**
 * The telemetry client, started only when the pool's flag is true: it records events (queue.ts,
 * persisted at once) and delivers them in batches (delivery.ts): on a timer (scheduler.ts), when
 * enough are queued, soon after an error, and when the page is hidden or hides for good (never on
 * unload/beforeunload, which break the back/forward cache). One flush at a time; failures back off;
 * offline pauses.
 */
import { TELEMETRY_PATH } from '../../shared/constants';
import type { EventBody, TelemetryEvent, UsageMetric } from '../../shared/telemetry-schema';
import { eventId, randomUuid } from '../random-id';
import { takeBatch } from './batches';
import { jsonBytes } from './bytes';
import { censusEvent, type DeviceFacts, deviceFacts } from './census';
import { batchSender, type Outcome } from './delivery';
import { deviceId } from './device';
import { errorEvent, MAX_ERRORS_PER_SESSION } from './errors';
import type { ErrorReport, MeetingContext } from './events';
import {
  ERROR_FLUSH_MS,
  FLUSH_INTERVAL_MS,
  FLUSH_SIZE,
  KEEPALIVE_BUDGET_BYTES,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
} from './policy';
import { EventQueue } from './queue';
import { FlushScheduler } from './scheduler';
import { beaconBatch } from './sender';
import { UsageCounters } from './usage';
import { hashUserId } from './user-hash';
import { watchVitals } from './vitals';

export { ERROR_FLUSH_MS, FLUSH_INTERVAL_MS } from './policy';

export interface TelemetryOptions {
  /** The pool's TelemetryEndpoint; empty means this origin. */
  endpoint: string;
}

export interface TelemetryClient {
  usage(metric: UsageMetric, value: number): void;
  error(report: ErrorReport): void;
  /** A call's quality or device figures, recorded as they are. */
  record(body: Extract<EventBody, { type: 'callQuality' | 'deviceConfig' }>): void;
  setMeeting(context: MeetingContext): void;
  setUser(userId: string): void;
  /** Stops for good. With purge, drops everything not yet delivered (the caller wipes storage). */
  stop(purge: boolean): void;
}

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
  const sender = batchSender(endpoint, deviceId());
  const counters = new UsageCounters();
  const queue = new EventQueue(TAB, () => counters.open());
  const scheduler = new FlushScheduler(() => void flush());
  let meeting = known.meeting;
  let userId = known.userId;
  let stopped = false;
  let sending = false;
  const live = () => !stopped;
  void queue.ready.then((adopted) => adopted && scheduler.schedule(1000));

  const enqueue = (event: TelemetryEvent) => {
    if (!stopped && queue.add(event) && queue.size >= FLUSH_SIZE) scheduler.schedule(0);
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

  /** What a delivery's outcome means for the next one. */
  const follow = (outcome: Outcome, nextDelay: number) => {
    if (stopped) return;
    if (outcome.kind === 'disabled') return onDisabled();
    if (outcome.kind === 'retry') {
      if (!offline()) scheduler.backOff(outcome.retryAfterMs);
      return;
    }
    scheduler.succeeded();
    scheduler.schedule(nextDelay);
  };

  async function flush(): Promise<void> {
    await queue.ready;
    if (stopped || sending) return;
    sealUsage();
    const waiting = queue.waiting();
    if (!waiting.length) return scheduler.schedule(FLUSH_INTERVAL_MS);
    if (offline()) return; // the 'online' listener resumes
    sending = true;
    const outcome = await sender.send(queue, takeBatch(waiting, MAX_BATCH_EVENTS, MAX_BATCH_BYTES), live);
    sending = false;
    follow(outcome, queue.hasMoreThanInFlight() ? 0 : FLUSH_INTERVAL_MS);
  }

  /**
   * The page is hidden and may never be shown again: everything still waiting goes out now, by
   * keepalive fetch (its answer settles the rows if the page lives on; a 413 is split like any
   * other) or, if the browser refuses that, by beacon. Rows stay persisted until acknowledged, so
   * an undelivered batch goes out on the next visit and the service's dedupe keeps it stored once.
   */
  const onHidden = () => {
    if (stopped) return;
    census();
    sealUsage();
    let budget = KEEPALIVE_BUDGET_BYTES - queue.inFlightBytes;
    let waiting = queue.waiting();
    while (waiting.length && budget > 0) {
      const batch = takeBatch(waiting, MAX_BATCH_EVENTS, Math.min(MAX_BATCH_BYTES, budget));
      budget -= jsonBytes(sender.body(batch));
      if (budget < 0) break;
      waiting = waiting.slice(batch.length);
      void sender.send(queue, batch, live).then((outcome) => {
        if (outcome.kind !== 'retry' || stopped) return follow(outcome, FLUSH_INTERVAL_MS);
        // A closing page's keepalive fetch rejects in the page yet still goes out: no second copy.
        const unsent = queue.waiting().filter((e) => batch.includes(e));
        if (closing || !unsent.length || !beaconBatch(endpoint, sender.body(unsent))) follow(outcome, 0);
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
    else scheduler.schedule(1000);
  };
  const onOnline = () => scheduler.online();

  watchVitals((body) => add(body));
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  window.addEventListener('online', onOnline);
  if (userId !== undefined) learnUser(userId);
  scheduler.schedule(FLUSH_INTERVAL_MS);

  return {
    usage(metric, value) {
      if (stopped) return;
      const open = counters.add(metric, value, meeting);
      // Kept on disk as it grows (same id, so the row is rewritten), for a tab that dies before the
      // next flush. Where other tabs could adopt the row, it waits for the seal instead.
      if (open) queue.keep(open);
      // A join is worth sending soon and a meeting's end (a natural break) at once, which leaves the
      // closing page little to carry; IM counts ride along with the next flush.
      if (metric === 'meetingMinutes' || metric === 'callMinutes') scheduler.schedule(0);
      else if (metric === 'joinSuccess') scheduler.schedule(ERROR_FLUSH_MS);
    },
    error(report) {
      if (errorsThisSession >= MAX_ERRORS_PER_SESSION) return;
      errorsThisSession++;
      add(errorEvent(report, userId));
      scheduler.schedule(ERROR_FLUSH_MS);
    },
    record(body) {
      add(body);
      scheduler.schedule(ERROR_FLUSH_MS); // a call just ended: its figures go out soon, with the minutes
    },
    setMeeting(context) {
      meeting = { ...meeting, ...context };
    },
    setUser: learnUser,
    stop(purge) {
      if (!purge) sealUsage(); // recorded while on: kept for when the pool can be read again
      stopped = true;
      scheduler.stop();
      watchVitals(undefined);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      window.removeEventListener('online', onOnline);
      queue.close(purge);
      if (purge) censusDone = false;
    },
  };
}
