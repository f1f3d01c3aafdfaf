/**
 * When and how much the page sends: its own choices, within the ingest's limits
 * (src/shared/telemetry-limits.ts) and the browser's keepalive budget.
 */
import { TELEMETRY_LIMITS } from '../../shared/telemetry-limits';

export const FLUSH_INTERVAL_MS = 15_000;
export const ERROR_FLUSH_MS = 2_000;
/** Queued events that start a flush at once. */
export const FLUSH_SIZE = 30;
export const MAX_BATCH_EVENTS = Math.min(50, TELEMETRY_LIMITS.eventsPerBatch);
/** Keepalive requests share a 64 KB budget per page (bytes); two batches fit with room to spare. */
export const KEEPALIVE_BUDGET_BYTES = 60_000;
export const MAX_BATCH_BYTES = Math.min(30_000, TELEMETRY_LIMITS.batchBytes);
/** Events held in memory (and on disk: persist.ts) at most; past it new ones are dropped. */
export const MAX_QUEUE = 1000;
