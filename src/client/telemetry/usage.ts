/**
 * Usage counters, aggregated in memory and sealed into one event per metric and meeting at each
 * flush: a chat of 300 messages is one `imSent` event with value 300, not 300 events. Each open
 * counter is already an event (its id and time fixed when it opens), so the client can keep it on
 * disk as it grows, and a tab that dies before the next flush loses no count.
 */
import { TELEMETRY_LIMITS } from '../../shared/telemetry-limits';
import type { TelemetryEvent, UsageMetric } from '../../shared/telemetry-schema';
import { eventId } from '../random-id';
import type { MeetingContext } from './events';

export type UsageEvent = Extract<TelemetryEvent, { type: 'usage' }>;

export class UsageCounters {
  private counts = new Map<string, UsageEvent>();

  /** Adds to the open counter and returns it (a copy), or undefined for a value that counts nothing. */
  add(metric: UsageMetric, value: number, meeting: MeetingContext = {}): UsageEvent | undefined {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    const { federationPartner, threadId } = meeting;
    const key = `${metric}|${federationPartner ?? ''}|${threadId ?? ''}`;
    const entry = this.counts.get(key);
    // Past the ingest's limit a count would get its whole batch refused: it stops at the limit.
    if (entry) entry.value = Math.min(TELEMETRY_LIMITS.usageValue[metric], entry.value + value);
    else {
      const opened: UsageEvent = {
        type: 'usage',
        id: eventId(),
        ts: Date.now(),
        metric,
        value: Math.min(TELEMETRY_LIMITS.usageValue[metric], value),
      };
      if (federationPartner) opened.federationPartner = federationPartner;
      if (threadId) opened.threadId = threadId.slice(0, TELEMETRY_LIMITS.threadId);
      this.counts.set(key, opened);
    }
    return { ...(this.counts.get(key) as UsageEvent) };
  }

  /** The counters still open. */
  open(): UsageEvent[] {
    return [...this.counts.values()].map((e) => ({ ...e }));
  }

  /** Returns the counts since the last seal and starts again from zero. */
  seal(): UsageEvent[] {
    const sealed = [...this.counts.values()];
    this.counts.clear();
    return sealed;
  }
}
