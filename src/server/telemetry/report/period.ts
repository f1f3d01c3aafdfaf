/**
 * The report's period: whole calendar days in the admin's time zone (or UTC), from `--Since` /
 * `--Until` / `--Days`. Each day is cut at its local midnight, found with Intl (so daylight-saving
 * days are 23 or 25 hours long, and a day whose midnight the clocks skip starts at the jump).
 */

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 3650;

export interface PeriodRequest {
  /** First day, `YYYY-MM-DD`, in the time zone. */
  since?: string;
  /** Last day (included), `YYYY-MM-DD`, in the time zone. */
  until?: string;
  /** The number of days; with neither date, the days ending today. */
  days?: number;
}

export interface Period {
  timeZone: string;
  /** Inclusive `YYYY-MM-DD` dates. */
  since: string;
  until: string;
  /** Each day of the period, in order: its date and the instants it spans [start, end). */
  days: { date: string; start: number; end: number }[];
}

export class PeriodError extends Error {}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a valid `YYYY-MM-DD`, or undefined. */
export function dayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a date that does not round-trip does not exist.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export const dateOfDayNumber = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new PeriodError(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Paris, or --Utc.`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(instant: number, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The first instant (to the minute) whose local date is `date` or later. Every zone's offset is
 * within ±15 hours, so local midnight lies within that much of UTC midnight; a binary search over
 * that window also finds the start of a day whose midnight does not exist.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const day = dayNumber(date);
  if (day === undefined) throw new PeriodError(`"${date}" is not a date: write YYYY-MM-DD.`);
  const MINUTE = 60_000;
  let lo = (day * DAY_MS - 15 * 3_600_000) / MINUTE;
  let hi = (day * DAY_MS + 15 * 3_600_000) / MINUTE;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid * MINUTE, timeZone) >= date) hi = mid;
    else lo = mid + 1;
  }
  return lo * MINUTE;
}

/** Resolves a request against today (in the zone) into the days of the period. */
export function resolvePeriod(request: PeriodRequest, timeZone: string, now: number): Period {
  const parse = (name: string, date: string | undefined) => {
    if (date === undefined) return undefined;
    const day = dayNumber(date);
    if (day === undefined)
      throw new PeriodError(`-${name} "${date}" is not a date: write YYYY-MM-DD, e.g. 2026-11-01.`);
    return day;
  };
  const today = dayNumber(localDate(now, timeZone)) as number;
  const sinceDay = parse('Since', request.since);
  const untilDay = parse('Until', request.until);
  if (sinceDay !== undefined && untilDay !== undefined && request.days !== undefined)
    throw new PeriodError('Give at most two of -Since, -Until and -Days.');
  const span = request.days ?? DEFAULT_DAYS;
  let first: number;
  let last: number;
  if (sinceDay !== undefined && untilDay !== undefined) [first, last] = [sinceDay, untilDay];
  else if (sinceDay !== undefined) [first, last] = [sinceDay, request.days === undefined ? today : sinceDay + span - 1];
  else if (untilDay !== undefined) [first, last] = [untilDay - span + 1, untilDay];
  else [first, last] = [today - span + 1, today];
  if (last < first)
    throw new PeriodError(`The period ends (${dateOfDayNumber(last)}) before it starts (${dateOfDayNumber(first)}).`);
  if (last - first + 1 > MAX_DAYS) throw new PeriodError(`The period is longer than ${MAX_DAYS} days.`);

  const days: Period['days'] = [];
  let start = startOfLocalDay(dateOfDayNumber(first), timeZone);
  for (let d = first; d <= last; d++) {
    const end = startOfLocalDay(dateOfDayNumber(d + 1), timeZone);
    days.push({ date: dateOfDayNumber(d), start, end });
    start = end;
  }
  return { timeZone, since: dateOfDayNumber(first), until: dateOfDayNumber(last), days };
}

/** The admin's time zone as this process sees it (TZ, else the system's). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
