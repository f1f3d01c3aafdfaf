/**
 * Where an event lands in the report: its time slot, and for a web-vital its histogram bucket.
 *
 * - Slot: 15 minutes of event time. Every time zone's offset is a multiple of 15 minutes, so any
 *   zone's local day is a whole number of slots, and roll-ups kept per slot serve every zone.
 * - Event time is the device's clock, clamped to a window around arrival: a device queues events
 *   for at most 7 days, so an event cannot be older than that when it arrives, nor much newer.
 *   A device clock far off cannot put an event in another month.
 * - Vital buckets: values rounded UP to 2 significant digits (2,501 ms -> 2,600 ms). Every
 *   "good" / "poor" threshold is such a value, so the rating of a p75 read from the buckets is
 *   exact, and the p75 shown errs on the side of slow, by less than 10%.
 */

export const SLOT_MS = 15 * 60_000;
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
export const MAX_EVENT_LEAD_MS = 3_600_000;

/** The event time the report uses: the device's `ts`, clamped to [arrival - 7 days, arrival + 1 hour]. */
export function eventTime(ts: number | null | undefined, receivedAt: number): number {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return receivedAt;
  return Math.min(Math.max(ts, receivedAt - MAX_EVENT_AGE_MS), receivedAt + MAX_EVENT_LEAD_MS);
}

export const slotOf = (instant: number): number => Math.floor(instant / SLOT_MS);

/** A vital's value rounded up to 2 significant digits (0 stays 0). */
export function vitalBucket(value: number): number {
  if (!(value > 0)) return 0;
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  // The tolerance keeps a value already on the grid (0.1 / 0.01 = 10.000000000000002) on it.
  const steps = Math.ceil((value / step) * (1 - 1e-12));
  return Number((steps * step).toPrecision(2));
}
