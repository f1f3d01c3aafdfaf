/**
 * Usage counters, aggregated in memory and sealed into one event per metric and meeting at each
 * flush: a chat of 300 messages is one `imSent` event with value 300, not 300 events.
 */
import type { EventBody, UsageMetric } from '../../shared/telemetry-schema';

type UsageBody = EventBody & { type: 'usage' };

export class UsageCounters {
  private counts = new Map<string, UsageBody>();

  add(metric: UsageMetric, value: number, federationPartner: string | undefined): void {
    if (!Number.isFinite(value) || value <= 0) return;
    const key = `${metric}|${federationPartner ?? ''}`;
    const entry = this.counts.get(key);
    if (entry) entry.value += value;
    else this.counts.set(key, { type: 'usage', metric, value, ...(federationPartner && { federationPartner }) });
  }

  /** Returns the counts since the last seal and starts again from zero. */
  seal(): UsageBody[] {
    const sealed = [...this.counts.values()];
    this.counts.clear();
    return sealed;
  }
}
