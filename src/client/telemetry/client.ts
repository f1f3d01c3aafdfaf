/**
 * The telemetry client, started only when the pool's flag is true. It stamps events, keeps them
 * in memory until they are delivered, and flushes on a timer, on size, and when the page hides.
 */
import { TELEMETRY_PATH } from '../../shared/constants';
import type { EventBody, TelemetryBatch, TelemetryEvent, UsageMetric } from '../../shared/telemetry-schema';
import { censusEvent } from './census';
import { deviceId, forgetDeviceId } from './device';
import type { ErrorReport, MeetingContext } from './events';
import { eventId } from './ids';
import { backoffDelay, beaconBatch, postBatch } from './sender';

export interface TelemetryOptions {
  /** The pool's TelemetryEndpoint; empty means this origin. */
  endpoint: string;
}

export interface TelemetryClient {
  usage(metric: UsageMetric, value: number): void;
  error(report: ErrorReport): void;
  setMeeting(context: MeetingContext): void;
  /** Stops for good and drops everything not yet delivered. */
  stop(): void;
}

const FLUSH_INTERVAL_MS = 10_000;
const FLUSH_SIZE = 20;
const MAX_BATCH_EVENTS = 50;
const MAX_QUEUE = 1000;

export function startTelemetry(options: TelemetryOptions, onDisabled: () => void): TelemetryClient {
  const endpoint = options.endpoint || TELEMETRY_PATH;
  const device = deviceId();
  let queue: TelemetryEvent[] = [];
  let meeting: MeetingContext | undefined;
  let stopped = false;
  let inFlight = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const add = (body: EventBody) => {
    if (stopped || queue.length >= MAX_QUEUE) return;
    queue.push({ ...body, id: eventId(), ts: Date.now() } as TelemetryEvent);
    if (queue.length >= FLUSH_SIZE) void flush();
  };

  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void flush(), delay);
  };

  const nextBatch = (): TelemetryBatch | undefined =>
    queue.length ? { v: 1, deviceId: device, events: queue.slice(0, MAX_BATCH_EVENTS) } : undefined;

  const settle = (batch: TelemetryBatch) => {
    const sent = new Set(batch.events.map((e) => e.id));
    queue = queue.filter((e) => !sent.has(e.id));
  };

  async function flush(): Promise<void> {
    const batch = nextBatch();
    if (stopped || inFlight || !batch) return schedule(FLUSH_INTERVAL_MS);
    inFlight = true;
    const outcome = await postBatch(endpoint, batch);
    inFlight = false;
    if (stopped) return;
    if (outcome === 'disabled') return onDisabled();
    if (outcome === 'retry') return schedule(backoffDelay(attempt++));
    settle(batch);
    attempt = 0;
    return queue.length ? void flush() : schedule(FLUSH_INTERVAL_MS);
  }

  const flushByBeacon = () => {
    if (stopped) return;
    for (let batch = nextBatch(); batch && beaconBatch(endpoint, batch); batch = nextBatch()) settle(batch);
  };
  const onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') flushByBeacon();
  };
  document.addEventListener('visibilitychange', onVisibilityChange);
  window.addEventListener('pagehide', flushByBeacon);

  add(censusEvent());
  schedule(FLUSH_INTERVAL_MS);

  return {
    usage(metric, value) {
      add({ type: 'usage', metric, value, ...(meeting && { federationPartner: meeting.federationPartner }) });
    },
    error(report) {
      add({ type: 'error', ...report, message: report.message.slice(0, 500), stack: report.stack?.slice(0, 2000) });
      schedule(1000);
    },
    setMeeting(context) {
      meeting = context;
    },
    stop() {
      stopped = true;
      queue = [];
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
      window.removeEventListener('pagehide', flushByBeacon);
      forgetDeviceId();
    },
  };
}
