/**
 * Every size limit of a telemetry event and batch, in one place for both sides: the page cuts to
 * these before sending (src/client/telemetry) and the ingest's schema refuses anything past them
 * (telemetry-schema.ts). Kept free of valibot, so the page's telemetry chunk can import it.
 * String lengths count UTF-16 code units (JavaScript's `length`, as valibot's maxLength does);
 * byte sizes count UTF-8 bytes on the wire.
 */
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH } from './constants';

export const TELEMETRY_LIMITS = {
  /** appName, deviceModel, osName, osVersion, an error's code, a vital's metricId. */
  shortText: 64,
  userLanguage: 35,
  errorMessage: 300,
  errorStack: 1000,
  errorStackLines: 10,
  conversationState: 32,
  threadId: 64,
  /** An error report's UserID as the server knows it (the ingest hashes it before storing). */
  userId: 128,
  /** A DNS name's maximum. */
  federationPartner: 253,
  /**
   * The most one usage event can count, by metric: a page seals its counters at every flush
   * (seconds apart), so these leave room for a long offline stretch while keeping one batch from
   * adding millions. Minutes are capped at a day; IMs at what a 250-seat meeting can exchange in a
   * long flush gap.
   */
  usageValue: {
    joinAttempt: 100,
    joinSuccess: 100,
    meetingMinutes: 1440,
    imSent: 10_000,
    imReceived: 10_000,
    callsMade: 100,
    callMinutes: 1440,
  },
  /** An hour, in ms. */
  vitalValue: 3_600_000,
  eventsPerBatch: MAX_EVENTS_PER_BATCH,
  batchBytes: MAX_BATCH_BYTES,
} as const;
