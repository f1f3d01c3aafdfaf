/**
 * The `report` verb's own options: the period (`--Since`, `--Until`, `--Days`, `--Utc`) and the
 * form (`--Json`, `--Csv`, `--Html FILE`). The admin CLI's parser hands them here; a mistake is a
 * ReportUsageError, which the parser turns into its usage error.
 */
import { dayNumber, MAX_DAYS } from './period';

export const REPORT_CONTROLS = ['Since', 'Until', 'Days', 'Utc', 'Csv', 'Html'] as const;
export type ReportControl = (typeof REPORT_CONTROLS)[number];
export const REPORT_SWITCHES: ReportControl[] = ['Utc', 'Csv'];

export type ReportForm = 'text' | 'json' | 'csv' | 'html';

export interface ReportOptions {
  since?: string;
  until?: string;
  days?: number;
  /** Days in UTC instead of this machine's time zone. */
  utc: boolean;
  form: ReportForm;
  /** --Html: the file to write. */
  htmlFile?: string;
  csv?: boolean;
}

export class ReportUsageError extends Error {}

export function applyReportSwitch(options: ReportOptions, control: ReportControl, on: boolean): void {
  if (control === 'Utc') options.utc = on;
  else if (control === 'Csv') options.csv = on;
}

export function applyReportValue(options: ReportOptions, control: ReportControl, raw: string): void {
  switch (control) {
    case 'Since':
    case 'Until':
      if (dayNumber(raw) === undefined)
        throw new ReportUsageError(`-${control} "${raw}" is not a date: write YYYY-MM-DD, e.g. 2026-11-01.`);
      if (control === 'Since') options.since = raw;
      else options.until = raw;
      return;
    case 'Days': {
      const days = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(days >= 1 && days <= MAX_DAYS))
        throw new ReportUsageError(`-Days must be a whole number from 1 to ${MAX_DAYS}, not "${raw}".`);
      options.days = days;
      return;
    }
    case 'Html':
      if (raw.trim() === '') throw new ReportUsageError('-Html needs the name of the file to write.');
      options.htmlFile = raw;
      return;
    default:
      return;
  }
}

/** Checks the combination and settles the form. */
export function finishReportOptions(options: ReportOptions, json: boolean): ReportOptions {
  const forms = [json && '--Json', options.csv && '--Csv', options.htmlFile !== undefined && '--Html'].filter(Boolean);
  if (forms.length > 1)
    throw new ReportUsageError(`Choose one of ${forms.join(', ')}: report prints one form at a time.`);
  if (options.since !== undefined && options.until !== undefined && options.days !== undefined)
    throw new ReportUsageError('Give at most two of -Since, -Until and -Days.');
  const form: ReportForm = json ? 'json' : options.csv ? 'csv' : options.htmlFile !== undefined ? 'html' : 'text';
  const { csv: _csv, ...rest } = options;
  return { ...rest, form };
}
