/**
 * The report's figures per pool, for the whole period and per day, computed once from the
 * roll-ups (plus the events past the watermark) and printed by every form (text, JSON, CSV, HTML),
 * so the forms agree to the unit.
 */
import type { Sql } from '../../sql/sql';
import { type CallFigures, callFigures } from '../call-report';
import { eventsRefused, type RefusedCounts, refusedByDay, refusedTotal } from '../refused';
import {
  type Aggregate,
  CENSUS_DIMENSIONS,
  CENSUS_PREFIX,
  type CensusDimension,
  countMeetings,
  type MeetingParts,
  mergeAggregate,
  mergeStored,
  OTHER,
  packHashes,
  VITAL_NAMES,
  type VitalName,
} from './aggregate';
import { SLOT_MS } from './buckets';
import { distinct } from './distinct';
import { errorMeaning } from './error-codes';
import type { Period } from './period';
import { type Grouped, groupArrivals, readRollups, rolledUpTo, rollUpTelemetry, type SlotData } from './rollup';
import { p75Of, rate, type VitalRating } from './vitals';

export interface ErrorCount {
  code: string;
  count: number;
  /** One line saying what the code means; null for a code this version does not know. */
  meaning: string | null;
}

export interface BreakdownEntry {
  value: string;
  sessions: number;
}

export interface Figures {
  joinAttempts: number;
  joinSuccesses: number;
  /** joinSuccesses / joinAttempts, at most 1, rounded to 3 places; null without attempts. */
  joinSuccessRate: number | null;
  meetingMinutes: number;
  imSent: number;
  imReceived: number;
  errorReports: number;
  /** Distinct DeviceIDs. */
  devices: number;
  /** Census events: page sessions with telemetry on. */
  sessions: number;
  /** Every error code, most frequent first. */
  errorsByCode: ErrorCount[];
  /** The 75th percentile of each web-vital (ms; CLS unitless), null when none was reported. */
  webVitalsP75: Record<VitalName, number | null>;
  webVitals: Record<VitalName, { p75: number | null; rating: VitalRating | null; samples: number }>;
  /** Organizer SIP domains by distinct meetings joined (summed over the days), most first. */
  federationPartners: { domain: string; meetings: number }[];
  /** Page sessions by OS, device class and language, most first (at most 10, then "(other)"). */
  census: Record<CensusDimension, BreakdownEntry[]>;
}

export interface DayReport extends Figures {
  /** `YYYY-MM-DD` in the report's time zone. */
  date: string;
  /** Audio/video calls whose figures reached the service that day. */
  calls: CallFigures;
  /** Events the daily quota refused, per cause, on the quota's UTC day of this date. */
  eventsRefusedByCause: RefusedCounts;
}

export interface PoolReport extends Figures {
  pool: string;
  /** The five most frequent error codes (the report's earlier field, kept for scripts). */
  topErrorCodes: { code: string; count: number }[];
  /** Events not stored because of the daily quota (both causes), on the period's UTC days. */
  eventsRefused: number;
  /** The same per cause: over the pool's TelemetryMaxEventsPerDay, or over one address's share. */
  eventsRefusedByCause: RefusedCounts;
  /** Audio/video calls that reached the service in the period: made, minutes, quality, devices. */
  calls: CallFigures;
  days: DayReport[];
}

export interface TelemetryReport {
  period: { since: string; until: string; timeZone: string; days: number; start: string; end: string };
  pools: PoolReport[];
}

export const round = (value: number, places: number): number => Math.round(value * 10 ** places) / 10 ** places;

/** The success-rate rule: successes over attempts, never above 1, null before any attempt. */
export function successRate(attempts: number, successes: number): number | null {
  if (!(attempts > 0)) return null;
  return round(Math.min(1, successes / attempts), 3);
}

const byCountThenName =
  <T>(count: (t: T) => number, name: (t: T) => string) =>
  (x: T, y: T) =>
    // Code-point order, not the locale's: the same report on every machine.
    count(y) - count(x) || (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0);

function breakdown(counts: Record<string, number>, top = 10): BreakdownEntry[] {
  const entries = Object.entries(counts)
    .map(([value, sessions]) => ({ value, sessions }))
    .sort(
      byCountThenName(
        (e) => e.sessions,
        (e) => e.value,
      ),
    );
  const kept = entries.filter((e) => e.value !== OTHER).slice(0, top);
  const rest = entries.filter((e) => !kept.includes(e)).reduce((sum, e) => sum + e.sessions, 0);
  return rest > 0 ? [...kept, { value: OTHER, sessions: rest }] : kept;
}

/** The counters of an aggregate, sorted out by kind (see aggregate.ts for the keys). */
function unpack(aggregate: Aggregate) {
  const usage: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const partners: Record<string, number> = {};
  const census = { co: {}, cd: {}, cl: {} } as Record<string, Record<string, number>>;
  const vitals = Object.fromEntries(VITAL_NAMES.map((n) => [n, {}])) as Record<VitalName, Record<string, number>>;
  let sessions = 0;
  for (const [key, n] of aggregate) {
    if (key === 's') {
      sessions += n;
      continue;
    }
    const colon = key.indexOf(':');
    const prefix = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    if (prefix === 'u') usage[rest] = n;
    else if (prefix === 'e') errors[rest] = n;
    // Meetings of a partner: its distinct meeting keys, plus joins that named no meeting.
    else if (prefix === 'pm') {
      const domain = rest.slice(0, rest.lastIndexOf('|'));
      partners[domain] = (partners[domain] ?? 0) + 1;
    } else if (prefix === 'p' || prefix === 'pj') partners[rest] = (partners[rest] ?? 0) + n;
    else if (prefix === 'v') {
      const split = rest.indexOf(':');
      const histogram = vitals[rest.slice(0, split) as VitalName];
      if (histogram) histogram[rest.slice(split + 1)] = n;
    } else if (census[prefix]) (census[prefix] as Record<string, number>)[rest] = n;
  }
  return { usage, errors, partners, census, vitals, sessions };
}

/** Figures of an aggregate (and its distinct meetings by domain); usage sums are rounded to 2 places (minutes are fractional). */
function figuresOf(aggregate: Aggregate, devices: number, meetings: Map<string, number> = new Map()): Figures {
  const { usage, errors, partners, census: censusCounts, vitals, sessions } = unpack(aggregate);
  for (const [domain, n] of meetings) partners[domain] = (partners[domain] ?? 0) + n;
  const u = (metric: string) => usage[metric] ?? 0;
  const webVitals = {} as Figures['webVitals'];
  const webVitalsP75 = {} as Figures['webVitalsP75'];
  for (const name of VITAL_NAMES) {
    const { p75, samples } = p75Of(vitals[name]);
    webVitals[name] = { p75, rating: rate(name, p75), samples };
    webVitalsP75[name] = p75;
  }
  const census = {} as Figures['census'];
  for (const dim of CENSUS_DIMENSIONS) census[dim] = breakdown(censusCounts[CENSUS_PREFIX[dim]] ?? {});
  return {
    joinAttempts: round(u('joinAttempt'), 2),
    joinSuccesses: round(u('joinSuccess'), 2),
    joinSuccessRate: successRate(u('joinAttempt'), u('joinSuccess')),
    meetingMinutes: round(u('meetingMinutes'), 2),
    imSent: round(u('imSent'), 2),
    imReceived: round(u('imReceived'), 2),
    errorReports: Object.values(errors).reduce((a, b) => a + b, 0),
    devices,
    sessions,
    errorsByCode: Object.entries(errors)
      .map(([code, count]) => ({ code, count, meaning: errorMeaning(code) ?? null }))
      .sort(
        byCountThenName(
          (e) => e.count,
          (e) => e.code,
        ),
      ),
    webVitalsP75,
    webVitals,
    federationPartners: partnerList(partners),
    census,
  };
}

function partnerList(partners: Record<string, number>): Figures['federationPartners'] {
  return Object.entries(partners)
    .map(([domain, meetings]) => ({ domain, meetings: round(meetings, 2) }))
    .sort(
      byCountThenName(
        (p) => p.meetings,
        (p) => p.domain,
      ),
    );
}

/** Streams the pool's slots (stored roll-ups, then the tail) into its days, in one pass. */
async function poolReport(
  sql: Sql,
  pool: string,
  period: Period,
  tail: Map<number, SlotData> | undefined,
  fromSlot: number,
  toSlot: number,
): Promise<PoolReport> {
  const days = period.days.map(() => ({
    aggregate: new Map() as Aggregate,
    devices: [] as Float64Array[],
    meetings: new Map() as MeetingParts,
  }));
  const firstSlots = period.days.map((d) => Math.floor(d.start / SLOT_MS));
  // Days are consecutive, so the day of a slot is found by a binary search over their first slots.
  const dayOf = (slot: number) => {
    let lo = 0;
    let hi = firstSlots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((firstSlots[mid] as number) <= slot) lo = mid;
      else hi = mid - 1;
    }
    return days[lo] as (typeof days)[number];
  };
  for (const [slot, stored, devices] of await readRollups(sql, pool, fromSlot, toSlot)) {
    const day = dayOf(slot);
    mergeStored(day.aggregate, stored, day.meetings);
    day.devices.push(devices);
  }
  for (const [slot, data] of tail ?? []) {
    if (slot < fromSlot || slot >= toSlot) continue;
    const day = dayOf(slot);
    mergeAggregate(day.aggregate, data.aggregate);
    day.devices.push(Float64Array.from(data.devices));
    for (const [domain, hashes] of data.meetings) {
      const list = day.meetings.get(domain);
      if (list) list.push(packHashes(hashes));
      else day.meetings.set(domain, [packHashes(hashes)]);
    }
  }
  const total: Aggregate = new Map();
  const dayDevices: Float64Array[] = [];
  const dayReports: DayReport[] = [];
  const refusedDays = await refusedByDay(
    sql,
    pool,
    period.days[0]?.date ?? '',
    period.days[period.days.length - 1]?.date ?? '',
  );
  for (const [i, day] of days.entries()) {
    // A day's meetings are counted on the day; the period's are the days' sums (below), so the
    // period never holds every meeting's key at once.
    for (const [key, n] of day.aggregate) if (!key.startsWith('pm:')) total.set(key, (total.get(key) ?? 0) + n);
    const devices = distinct(day.devices);
    dayDevices.push(devices);
    const { date, start, end } = period.days[i] as Period['days'][number];
    dayReports.push({
      date,
      ...figuresOf(day.aggregate, devices.length, countMeetings(day.meetings)),
      calls: await callFigures(sql, pool, { start, end }),
      eventsRefusedByCause: refusedDays.get(date) ?? { poolQuota: 0, addressShare: 0 },
    });
  }
  const figures = figuresOf(total, distinct(dayDevices).length);
  // Period sums are the sums of the days as printed, so a spreadsheet's SUM matches the total.
  for (const key of ['joinAttempts', 'joinSuccesses', 'meetingMinutes', 'imSent', 'imReceived'] as const)
    figures[key] = round(
      dayReports.reduce((sum, d) => sum + d[key], 0),
      2,
    );
  figures.joinSuccessRate = successRate(figures.joinAttempts, figures.joinSuccesses);
  const partners: Record<string, number> = {};
  for (const day of dayReports)
    for (const { domain, meetings } of day.federationPartners) partners[domain] = (partners[domain] ?? 0) + meetings;
  figures.federationPartners = partnerList(partners);
  const refusedInPeriod = await eventsRefused(
    sql,
    pool,
    period.days[0]?.start,
    period.days[period.days.length - 1]?.end,
  );
  return {
    pool,
    ...figures,
    topErrorCodes: figures.errorsByCode.slice(0, 5).map(({ code, count }) => ({ code, count })),
    eventsRefused: refusedTotal(refusedInPeriod),
    eventsRefusedByCause: refusedInPeriod,
    calls: await callFigures(sql, pool, {
      start: period.days[0]?.start ?? 0,
      end: period.days[period.days.length - 1]?.end ?? Number.MAX_SAFE_INTEGER,
    }),
    days: dayReports,
  };
}

/**
 * The report over a period, for every pool or one; rolls up pending events first (`now`: the
 * store's clock unless given). Everything after the roll-up is read from one snapshot, so a
 * roll-up committed meanwhile by a server (or another node) can neither hide events nor count
 * them twice.
 */
export async function buildReport(
  sql: Sql,
  period: Period,
  options: { pool?: string; now?: number } = {},
): Promise<TelemetryReport> {
  await rollUpTelemetry(sql, options.now);
  const first = period.days[0];
  const last = period.days[period.days.length - 1];
  if (!first || !last) throw new Error('A period has at least one day.');
  const fromSlot = Math.floor(first.start / SLOT_MS);
  const toSlot = Math.floor(last.end / SLOT_MS);
  return sql.transaction(async (tx) => {
    if (tx.fragments.readOnlySnapshot) await tx.exec(tx.fragments.readOnlySnapshot);
    const tail: Grouped = await groupArrivals(tx, await rolledUpTo(tx), Number.MAX_SAFE_INTEGER);
    const tailOf = (pool: string) =>
      [...tail.entries()].find(([name]) => name.toLowerCase() === pool.toLowerCase())?.[1];
    // The pools table belongs to the topology; the report needs only their names, in its order.
    const pools = (await tx.all<{ fqdn: string }>('SELECT fqdn FROM pools ORDER BY fqdn'))
      .map((p) => p.fqdn)
      .filter((fqdn) => options.pool === undefined || fqdn.toLowerCase() === options.pool.toLowerCase());
    const reports: PoolReport[] = [];
    for (const pool of pools) reports.push(await poolReport(tx, pool, period, tailOf(pool), fromSlot, toSlot));
    return {
      period: {
        since: period.since,
        until: period.until,
        timeZone: period.timeZone,
        days: period.days.length,
        start: new Date(first.start).toISOString(),
        end: new Date(last.end).toISOString(),
      },
      pools: reports,
    };
  });
}
