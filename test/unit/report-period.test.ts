/** The report's period, day cuts in time zones, event-time clamping, vital buckets, the success-rate rule. */
import { describe, expect, it } from 'vitest';
import { eventTime, MAX_EVENT_AGE_MS, slotOf, vitalBucket } from '../../src/server/telemetry/report/buckets';
import { deviceClassOf } from '../../src/server/telemetry/report/census';
import { distinct } from '../../src/server/telemetry/report/distinct';
import { errorMeaning } from '../../src/server/telemetry/report/error-codes';
import { successRate } from '../../src/server/telemetry/report/model';
import { PeriodError, resolvePeriod, startOfLocalDay } from '../../src/server/telemetry/report/period';
import { p75Of, rate } from '../../src/server/telemetry/report/vitals';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-29T10:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

describe('period', () => {
  it('defaults to the 30 days ending today in the zone', () => {
    const p = resolvePeriod({}, 'UTC', NOW);
    expect({ since: p.since, until: p.until, days: p.days.length }).toEqual({
      since: '2026-10-31',
      until: '2026-11-29',
      days: 30,
    });
    expect(p.days.every((d) => d.end - d.start === 24 * HOUR)).toBe(true);
  });

  it('takes today in the admin’s zone, not in UTC', () => {
    // 2026-11-29T23:30Z is already the 30th in Tokyo, still the 29th in Los Angeles.
    const late = Date.parse('2026-11-29T23:30:00Z');
    expect(resolvePeriod({ days: 1 }, 'Asia/Tokyo', late).until).toBe('2026-11-30');
    expect(resolvePeriod({ days: 1 }, 'America/Los_Angeles', late).until).toBe('2026-11-29');
  });

  it('combines --Since, --Until and --Days', () => {
    const span = (r: Parameters<typeof resolvePeriod>[0]) => {
      const p = resolvePeriod(r, 'UTC', NOW);
      return [p.since, p.until, p.days.length];
    };
    expect(span({ since: '2026-11-01', until: '2026-11-07' })).toEqual(['2026-11-01', '2026-11-07', 7]);
    expect(span({ since: '2026-11-01' })).toEqual(['2026-11-01', '2026-11-29', 29]);
    expect(span({ since: '2026-11-01', days: 7 })).toEqual(['2026-11-01', '2026-11-07', 7]);
    expect(span({ until: '2026-11-07', days: 7 })).toEqual(['2026-11-01', '2026-11-07', 7]);
    expect(span({ until: '2026-11-07' })).toEqual(['2026-10-09', '2026-11-07', 30]);
    expect(span({ days: 90 })).toEqual(['2026-09-01', '2026-11-29', 90]);
    expect(span({ since: '2024-02-28', until: '2024-03-01' })).toEqual(['2024-02-28', '2024-03-01', 3]);
  });

  it('refuses what is not a period, with a clear line', () => {
    expect(() => resolvePeriod({ since: '2026-11-08', until: '2026-11-07' }, 'UTC', NOW)).toThrow(
      /ends \(2026-11-07\) before it starts \(2026-11-08\)/,
    );
    expect(() => resolvePeriod({ since: '2026-02-30' }, 'UTC', NOW)).toThrow(PeriodError);
    expect(() => resolvePeriod({ since: '11/01/2026' }, 'UTC', NOW)).toThrow(/YYYY-MM-DD/);
    expect(() => resolvePeriod({ since: '2026-11-01', until: '2026-11-02', days: 2 }, 'UTC', NOW)).toThrow(
      /at most two/,
    );
    expect(() => resolvePeriod({ since: '2000-01-01', until: '2026-01-01' }, 'UTC', NOW)).toThrow(/3650 days/);
    expect(() => resolvePeriod({}, 'Mars/Olympus_Mons', NOW)).toThrow(/Unknown time zone/);
  });

  it('cuts days at local midnight: DST days are 23 and 25 hours, half- and quarter-hour zones', () => {
    const day = (date: string, zone: string) => {
      const d = resolvePeriod({ since: date, until: date }, zone, NOW).days[0];
      return d && [iso(d.start), (d.end - d.start) / HOUR];
    };
    expect(day('2026-03-29', 'Europe/Paris')).toEqual(['2026-03-28T23:00:00.000Z', 23]);
    expect(day('2026-10-25', 'Europe/Paris')).toEqual(['2026-10-24T22:00:00.000Z', 25]);
    expect(day('2026-11-01', 'Asia/Kolkata')).toEqual(['2026-10-31T18:30:00.000Z', 24]);
    expect(day('2026-11-01', 'Asia/Kathmandu')).toEqual(['2026-10-31T18:15:00.000Z', 24]);
    expect(day('2026-11-01', 'UTC')).toEqual(['2026-11-01T00:00:00.000Z', 24]);
    // Chile moves its clocks from 00:00 to 01:00: that day starts at 01:00 local (04:00Z).
    expect(day('2026-09-06', 'America/Santiago')).toEqual(['2026-09-06T04:00:00.000Z', 23]);
  });

  it('every day boundary of every zone falls on a 15-minute slot boundary', () => {
    for (const zone of ['Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham']) {
      const p = resolvePeriod({ since: '2026-01-01', until: '2026-12-31' }, zone, NOW);
      for (const d of p.days) expect(d.start % (15 * 60_000)).toBe(0);
      expect(p.days.every((d, i) => i === 0 || d.start === p.days[i - 1]?.end)).toBe(true);
    }
    expect(startOfLocalDay('2026-11-29', 'Asia/Tokyo')).toBe(Date.parse('2026-11-28T15:00:00Z'));
  });
});

describe('bucketing', () => {
  const arrived = Date.parse('2026-11-20T12:00:00Z');

  it('uses the device’s time, clamped to 7 days before and 1 hour after arrival', () => {
    expect(eventTime(arrived - 5 * HOUR, arrived)).toBe(arrived - 5 * HOUR);
    expect(eventTime(1, arrived)).toBe(arrived - MAX_EVENT_AGE_MS);
    expect(eventTime(arrived + 400 * 24 * HOUR, arrived)).toBe(arrived + HOUR);
    expect(eventTime(null, arrived)).toBe(arrived);
    // So a device whose clock says 1970 still counts in the week it was used, not another month.
    expect(iso(eventTime(0, arrived)).slice(0, 7)).toBe('2026-11');
  });

  it('puts an instant in its 15-minute slot', () => {
    const t = Date.parse('2026-11-20T12:14:59.999Z');
    expect(slotOf(t)).toBe(slotOf(Date.parse('2026-11-20T12:00:00Z')));
    expect(slotOf(t + 1)).toBe(slotOf(t) + 1);
  });

  it('rounds vitals up to 2 significant digits, keeping every threshold exact', () => {
    expect([0, 300, 2500, 2501, 99.5, 0.1, 0.25, 0.1234, 3.71, 1234567].map(vitalBucket)).toEqual([
      0, 300, 2500, 2600, 100, 0.1, 0.25, 0.13, 3.8, 1300000,
    ]);
    for (const threshold of [2500, 4000, 200, 500, 0.1, 0.25, 1800, 3000, 800]) {
      expect(vitalBucket(threshold)).toBe(threshold);
      expect(vitalBucket(threshold * 1.0001)).toBeGreaterThan(threshold);
    }
  });

  it('takes the nearest-rank p75 of a histogram and rates it', () => {
    expect(p75Of({})).toEqual({ p75: null, samples: 0 });
    expect(p75Of({ '100': 1, '200': 1, '300': 1, '400': 1 })).toEqual({ p75: 300, samples: 4 });
    expect(p75Of({ '2600': 1, '50': 3 })).toEqual({ p75: 50, samples: 4 });
    expect([rate('LCP', 2500), rate('LCP', 2600), rate('LCP', 4100), rate('CLS', 0.1), rate('INP', null)]).toEqual([
      'good',
      'needs-improvement',
      'poor',
      'good',
      null,
    ]);
  });
});

describe('the success-rate rule', () => {
  it('is successes over attempts, never above 100%, and n/a before any attempt', () => {
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(0, 2)).toBeNull();
    expect(successRate(3, 3)).toBe(1);
    expect(successRate(4, 3)).toBe(0.75);
    expect(successRate(3, 2)).toBe(0.667);
    // A success whose attempt fell on the day before (or was lost) cannot make a rate above 1.
    expect(successRate(2, 3)).toBe(1);
  });
});

describe('what codes and devices mean', () => {
  it('explains known error codes in one line and says when it does not know one', () => {
    expect(errorMeaning('join:meeting-full')).toBe('Joining failed: the meeting had 250 participants');
    expect(errorMeaning('stream:dropped')).toMatch(/live connection dropped/);
    expect(errorMeaning('join:brand-new')).toBe('Joining failed (service code brand-new)');
    expect(errorMeaning('made-up')).toBeUndefined();
  });

  it('sorts device models into classes', () => {
    expect(['Desktop', 'iPhone', 'Mobile', 'iPad', 'Pixel 8', ''].map(deviceClassOf)).toEqual([
      'Desktop',
      'Phone',
      'Phone',
      'Tablet',
      'Android (named model)',
      'Unknown',
    ]);
  });
});

describe('distinct devices', () => {
  it('counts each hash once across slots, as a Set would', () => {
    const random = () => Math.floor(Math.random() * 2 ** 48);
    const pool = Array.from({ length: 5000 }, random);
    const parts = Array.from({ length: 40 }, () =>
      Float64Array.from({ length: 300 }, () => pool[Math.floor(Math.random() * pool.length)] as number),
    );
    parts.push(new Float64Array([0, 0, 2 ** 48 - 1]), new Float64Array());
    const expected = new Set(parts.flatMap((p) => [...p]));
    const got = distinct(parts);
    expect(got.length).toBe(expected.size);
    expect(new Set(got)).toEqual(expected);
    expect(distinct([]).length).toBe(0);
  });
});
