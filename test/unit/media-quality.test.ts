/** Call quality from getStats samples, and the words a media failure is explained in. */
import { describe, expect, it } from 'vitest';
import { problemOf } from '../../src/client/media/local-media';
import { percentile, QualitySampler } from '../../src/client/media/quality';
import { initialsOf } from '../../src/client/meeting/initials';

/** A getStats report is a maplike of stats by id; a Map has the same forEach. */
const report = (stats: Record<string, unknown>[]) =>
  new Map(stats.map((s) => [String(s.id), s])) as unknown as RTCStatsReport;

const sample = (rtt: number, jitter: number, lost: number, received: number) =>
  report([
    { id: 'pair', type: 'candidate-pair', nominated: true, currentRoundTripTime: rtt },
    { id: 'pair-unused', type: 'candidate-pair', nominated: false, currentRoundTripTime: 9 },
    { id: 'in-audio', type: 'inbound-rtp', kind: 'audio', jitter, packetsLost: lost, packetsReceived: received },
  ]);

describe('QualitySampler', () => {
  it('summarises RTT, jitter and loss per interval as median and 95th percentile', () => {
    const sampler = new QualitySampler();
    expect(sampler.summary()).toBeUndefined();
    sampler.add(sample(0.01, 0.002, 0, 100)); // loss 0%
    sampler.add(sample(0.03, 0.004, 10, 190)); // 10 lost of 100 in this interval: 10%
    sampler.add(sample(0.02, 0.003, 10, 290)); // none lost in this interval: 0%
    expect(sampler.summary()).toEqual({
      samples: 3,
      rttMsMedian: 20,
      rttMsP95: 30,
      jitterMsMedian: 3,
      jitterMsP95: 4,
      lossPctMedian: 0,
      lossPctP95: 10,
    });
  });

  it('ignores the unnominated pair and non-numbers, and keeps a bounded number of samples', () => {
    const sampler = new QualitySampler();
    for (let i = 0; i < 800; i++) sampler.add(sample(0.001 * i, Number.NaN, 0, 0));
    expect(sampler.rtt).toHaveLength(720);
    expect(sampler.jitter).toHaveLength(0);
    expect(sampler.loss).toHaveLength(0);
    expect(percentile([5, 1, 3], 50)).toBe(3);
  });
});

describe('media problems', () => {
  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-device'],
    ['OverconstrainedError', 'no-device'],
    ['NotReadableError', 'device-in-use'],
    ['TypeError', 'failed'],
  ])('%s is %s', (name, problem) => {
    expect(problemOf(Object.assign(new Error('x'), { name }))).toBe(problem);
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first two words', () => {
    expect(initialsOf('  ben  ode smith ')).toBe('BO');
    expect(initialsOf('Zoë')).toBe('Z');
    expect(initialsOf('')).toBe('');
  });
});
