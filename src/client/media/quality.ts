/**
 * Call quality from getStats, sampled every few seconds (never per packet): round-trip time, jitter
 * and packet loss, summarised per call as median and 95th percentile for telemetry.
 */
export interface QualitySummary {
  samples: number;
  rttMsMedian: number;
  rttMsP95: number;
  jitterMsMedian: number;
  jitterMsP95: number;
  lossPctMedian: number;
  lossPctP95: number;
}

/** At most this many samples per figure (an hour at one sample per 5 s). */
const MAX_SAMPLES = 720;

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (x: number) => Math.round(x * 10) / 10;

export class QualitySampler {
  readonly rtt: number[] = [];
  readonly jitter: number[] = [];
  readonly loss: number[] = [];
  /** Last totals per inbound stream, to turn counters into a loss rate per interval. */
  #last = new Map<string, { lost: number; received: number }>();

  /** Reads one getStats report of one connection. */
  add(report: RTCStatsReport): void {
    let lost = 0;
    let received = 0;
    report.forEach((stat: Record<string, unknown>) => {
      if (stat.type === 'candidate-pair' && stat.nominated && typeof stat.currentRoundTripTime === 'number') {
        this.#push(this.rtt, stat.currentRoundTripTime * 1000);
      }
      if (stat.type === 'inbound-rtp') {
        if (stat.kind === 'audio' && typeof stat.jitter === 'number') this.#push(this.jitter, stat.jitter * 1000);
        const id = String(stat.id);
        const now = { lost: Number(stat.packetsLost ?? 0), received: Number(stat.packetsReceived ?? 0) };
        const before = this.#last.get(id) ?? { lost: 0, received: 0 };
        this.#last.set(id, now);
        lost += Math.max(0, now.lost - before.lost);
        received += Math.max(0, now.received - before.received);
      }
    });
    if (lost + received > 0) this.#push(this.loss, (100 * lost) / (lost + received));
  }

  #push(list: number[], value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    list.push(value);
    if (list.length > MAX_SAMPLES) list.shift();
  }

  summary(): QualitySummary | undefined {
    if (!this.rtt.length && !this.jitter.length && !this.loss.length) return undefined;
    const figure = (list: number[], p: number) => (list.length ? round(percentile(list, p)) : 0);
    return {
      samples: Math.max(this.rtt.length, this.jitter.length, this.loss.length),
      rttMsMedian: figure(this.rtt, 50),
      rttMsP95: figure(this.rtt, 95),
      jitterMsMedian: figure(this.jitter, 50),
      jitterMsP95: figure(this.jitter, 95),
      lossPctMedian: figure(this.loss, 50),
      lossPctP95: figure(this.loss, 95),
    };
  }
}
