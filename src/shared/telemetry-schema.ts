/**
 * The telemetry batch, shared by the page (which builds it) and the ingest (which validates it).
 * Objects are strict: a field not named here is refused, so nothing unlisted can slip into storage.
 * docs/privacy.md lists every field below.
 */
import * as v from 'valibot';
import { TELEMETRY_LIMITS as L } from './telemetry-limits';

const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const shortText = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** Milliseconds since 1970, before 2100: what a page's clock can say. */
export const MAX_TIMESTAMP = Date.UTC(2100, 0, 1);
const timestamp = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TIMESTAMP));
/** A client-side hash: 64 hex characters (SHA-256). Never the clear UserID. */
const clientHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const USAGE_METRICS = [
  'joinAttempt',
  'joinSuccess',
  'meetingMinutes',
  'imSent',
  'imReceived',
  /** A participant's media session (audio and/or video) started. */
  'callsMade',
  /** Minutes in a media session, counted when it ends. */
  'callMinutes',
] as const;

export const censusEvent = v.strictObject({
  id,
  type: v.literal('census'),
  ts: timestamp,
  appName: shortText(L.shortText),
  deviceModel: shortText(L.shortText),
  osName: shortText(L.shortText),
  osVersion: shortText(L.shortText),
  userLanguage: shortText(L.userLanguage),
  userId: v.optional(clientHash),
});

/** The per-metric caps live in telemetry-limits.ts, where the page stops its counts at them too. */
export const MAX_USAGE_VALUE: Record<(typeof USAGE_METRICS)[number], number> = L.usageValue;

export const usageEvent = v.pipe(
  v.strictObject({
    id,
    type: v.literal('usage'),
    ts: timestamp,
    metric: v.picklist(USAGE_METRICS),
    value: v.pipe(v.number(), v.minValue(0), v.maxValue(Math.max(...Object.values(MAX_USAGE_VALUE)))),
    /** The organizer's SIP domain, in clear. */
    federationPartner: v.optional(v.pipe(shortText(L.federationPartner), v.regex(/^[a-z0-9.-]*$/i))),
    /** The meeting's conversation id (as in error reports), so partners are counted by meetings. */
    threadId: v.optional(shortText(L.threadId)),
  }),
  v.check((event) => event.value <= MAX_USAGE_VALUE[event.metric], 'value is more than a page can count'),
);

export const errorEvent = v.strictObject({
  id,
  type: v.literal('error'),
  ts: timestamp,
  code: v.pipe(shortText(L.shortText), v.regex(/^[a-z0-9._:-]+$/i)),
  message: shortText(L.errorMessage),
  stack: v.optional(shortText(L.errorStack)),
  direction: v.optional(v.picklist(['incoming', 'outgoing', 'none'])),
  conversationState: v.optional(shortText(L.conversationState)),
  threadId: v.optional(shortText(L.threadId)),
  /** The participant id as the server knows it; hashed again by the ingest before storing. */
  userId: v.optional(shortText(L.userId)),
});

export const vitalEvent = v.strictObject({
  id,
  type: v.literal('vital'),
  ts: timestamp,
  name: v.picklist(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
  value: v.pipe(v.number(), v.minValue(0), v.maxValue(L.vitalValue)),
  metricId: shortText(L.shortText),
});

const ms = v.pipe(v.number(), v.minValue(0), v.maxValue(600_000));
const percent = v.pipe(v.number(), v.minValue(0), v.maxValue(100));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64));

/** One call's network quality: sampled getStats figures, median and 95th percentile. */
export const callQualityEvent = v.strictObject({
  id,
  type: v.literal('callQuality'),
  ts: timestamp,
  samples: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
  rttMsMedian: ms,
  rttMsP95: ms,
  jitterMsMedian: ms,
  jitterMsP95: ms,
  lossPctMedian: percent,
  lossPctP95: percent,
});

/** The devices at the start of a call: how many of each kind, and whether each was on. Never a label or id. */
export const deviceConfigEvent = v.strictObject({
  id,
  type: v.literal('deviceConfig'),
  ts: timestamp,
  microphones: count,
  cameras: count,
  speakers: count,
  micOn: v.boolean(),
  cameraOn: v.boolean(),
});

export const telemetryEvent = v.variant('type', [
  censusEvent,
  usageEvent,
  errorEvent,
  vitalEvent,
  callQualityEvent,
  deviceConfigEvent,
]);

export const telemetryBatch = v.strictObject({
  v: v.literal(1),
  /** A random UUID made once per device while telemetry is on. */
  deviceId: v.pipe(v.string(), v.uuid()),
  events: v.pipe(v.array(telemetryEvent), v.minLength(1), v.maxLength(L.eventsPerBatch)),
});

export type TelemetryEvent = v.InferOutput<typeof telemetryEvent>;
export type TelemetryBatch = v.InferOutput<typeof telemetryBatch>;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** Distributes Omit over the event union, so callers can build an event without id and ts. */
export type EventBody<E = TelemetryEvent> = E extends TelemetryEvent ? Omit<E, 'id' | 'ts'> : never;
