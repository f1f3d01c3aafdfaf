/**
 * The admin CLI's command line, modelled on the CsWebServiceConfiguration cmdlets: verbs or
 * cmdlet names, `--Param value`, `-Param value`, `--Param=value` or `-Param:value`, names in any
 * case. Parsing is pure and total: every mistake becomes one CliUsageError line.
 */
import {
  canonicalParameterName,
  type ParameterName,
  PRODUCT_DEFAULTS,
  parseParameterValue,
  type WebServiceConfig,
} from '../../shared/config-schema';
import {
  applyReportSwitch,
  applyReportValue,
  finishReportOptions,
  REPORT_CONTROLS,
  REPORT_SWITCHES,
  type ReportControl,
  type ReportOptions,
  ReportUsageError,
} from '../telemetry/report/options';

export type Verb = 'get' | 'new' | 'set' | 'remove' | 'report' | 'purge' | 'meetings' | 'help';

export interface Command {
  verb: Verb;
  identity?: string;
  changes: Partial<WebServiceConfig>;
  whatIf: boolean;
  json: boolean;
  pool?: string;
  /** purge: delete telemetry received more than this many days ago (0 = all). */
  olderThanDays?: number;
  /** report: the period and the form (text unless --Json, --Csv or --Html FILE). */
  report?: ReportOptions;
}

export class CliUsageError extends Error {}

const VERB_ALIASES: Record<string, Verb> = {
  get: 'get',
  'get-cswebserviceconfiguration': 'get',
  new: 'new',
  'new-cswebserviceconfiguration': 'new',
  set: 'set',
  'set-cswebserviceconfiguration': 'set',
  remove: 'remove',
  'remove-cswebserviceconfiguration': 'remove',
  report: 'report',
  purge: 'purge',
  meetings: 'meetings',
  help: 'help',
  '--help': 'help',
  '-h': 'help',
};

type Control = 'Identity' | 'WhatIf' | 'Json' | 'Pool' | 'OlderThanDays' | ReportControl;
const CONTROLS: Record<Verb, Control[]> = {
  get: ['Identity'],
  new: ['Identity', 'WhatIf'],
  set: ['Identity', 'WhatIf'],
  remove: ['Identity', 'WhatIf'],
  report: ['Pool', 'Json', ...REPORT_CONTROLS],
  purge: ['Pool', 'OlderThanDays', 'WhatIf'],
  meetings: ['Json'],
  help: [],
};
const SWITCHES: Control[] = ['WhatIf', 'Json', ...REPORT_SWITCHES];
const TAKES_PARAMETERS: Verb[] = ['new', 'set'];

export const USAGE = `Usage: npm run admin -- <verb> [options]
  get    [--Identity X]                      print the stored configuration documents as JSON
  new    --Identity X [--Param value ...]     create a Site:<name> or Service:WebServer:<pool> document
  set    [--Identity X] --Param value ...     change a document (no Identity = Global)
  remove --Identity X                        delete a document (Global is reset to defaults)
  report [--Pool fqdn] [--Since YYYY-MM-DD] [--Until YYYY-MM-DD] [--Days N] [--Utc]
         [--Json | --Csv | --Html FILE]      the telemetry per pool and day (default: the last 30
                                             days in this machine's time zone)
  purge  [--OlderThanDays N] [--Pool fqdn]    delete telemetry older than N days (default: the
                                             retention, TELEMETRY_RETENTION_DAYS or 30; 0 = all)
  meetings [--json]                          the meetings with their guest and organizer links
new, set, remove and purge take --WhatIf. Cmdlet names (Set-CsWebServiceConfiguration ...) and
-Param / -Param:value spellings work too. Booleans: true, false, $true, $false (quote $true in bash).`;

function splitOption(token: string): { name: string; inline?: string } | undefined {
  const match = /^--?([A-Za-z][A-Za-z0-9]*)(?:[=:](.*))?$/s.exec(token);
  if (!match) return undefined;
  return match[2] === undefined ? { name: match[1] as string } : { name: match[1] as string, inline: match[2] };
}

function parseSwitch(name: string, inline: string | undefined): boolean {
  if (inline === undefined) return true;
  const lower = inline.toLowerCase();
  if (lower === 'true' || lower === '$true') return true;
  if (lower === 'false' || lower === '$false') return false;
  throw new CliUsageError(`-${name} takes no value, or :true / :false, not "${inline}"`);
}

/** The report's option checks speak their own error; to the admin it is a usage error like any other. */
function reportUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ReportUsageError) throw new CliUsageError(error.message);
    throw error;
  }
}

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined)
    throw new CliUsageError('No verb given: use get, new, set, remove, report, purge or meetings (see "help").');
  const verb = VERB_ALIASES[first.toLowerCase()];
  if (!verb)
    throw new CliUsageError(
      `Unknown verb "${first}": use get, new, set, remove, report, purge or meetings (see "help").`,
    );
  const command: Command = { verb, changes: {}, whatIf: false, json: false };
  const seen = new Set<string>();
  const reportOptions: ReportOptions = { utc: false, form: 'text' };

  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    const option = splitOption(token);
    if (!option) throw new CliUsageError(`Unexpected argument "${token}": parameters are written --Name value.`);
    const control = CONTROLS[verb].find((c) => c.toLowerCase() === option.name.toLowerCase());
    const parameter = TAKES_PARAMETERS.includes(verb) ? canonicalParameterName(option.name) : undefined;
    const canonical = control ?? parameter;
    if (!canonical) {
      const known = canonicalParameterName(option.name);
      throw new CliUsageError(
        known
          ? `${verb} does not take -${known}; only new and set change parameters.`
          : `Unknown parameter -${option.name} for ${verb}.`,
      );
    }
    if (seen.has(canonical)) throw new CliUsageError(`-${canonical} is given more than once.`);
    seen.add(canonical);

    if (control && SWITCHES.includes(control)) {
      const on = parseSwitch(control, option.inline);
      if (control === 'WhatIf') command.whatIf = on;
      else if (control === 'Json') command.json = on;
      else reportUsage(() => applyReportSwitch(reportOptions, control as ReportControl, on));
      continue;
    }
    let raw = option.inline;
    if (raw === undefined) {
      const next = rest[i + 1];
      if (next === undefined || splitOption(next)) {
        const isBoolean = parameter !== undefined && typeof PRODUCT_DEFAULTS[parameter] === 'boolean';
        const hint = isBoolean ? " (true or false; in bash quote '$true', or it arrives empty)" : '';
        throw new CliUsageError(`-${canonical} needs a value${hint}.`);
      }
      raw = next;
      i++;
    }
    if (control === 'Identity') command.identity = raw;
    else if (control === 'Pool') command.pool = raw;
    else if (control && REPORT_CONTROLS.includes(control as ReportControl))
      reportUsage(() => applyReportValue(reportOptions, control as ReportControl, raw as string));
    else if (control === 'OlderThanDays') {
      if (!/^\d{1,4}$/.test(raw))
        throw new CliUsageError(`-OlderThanDays must be a whole number of days, not "${raw}".`);
      command.olderThanDays = Number(raw);
    } else if (parameter) {
      const parsed = parseParameterValue(parameter, raw);
      if (!parsed.ok) throw new CliUsageError(parsed.message);
      (command.changes as Record<ParameterName, unknown>)[parameter] = parsed.value;
    }
  }

  if (verb === 'report') command.report = reportUsage(() => finishReportOptions(reportOptions, command.json));
  if ((verb === 'new' || verb === 'remove') && command.identity === undefined) {
    throw new CliUsageError(`${verb} needs --Identity (Site:<name> or Service:WebServer:<pool fqdn>).`);
  }
  if (verb === 'set' && Object.keys(command.changes).length === 0) {
    throw new CliUsageError('set needs at least one parameter to change, e.g. --MeetingUxEnableTelemetry true.');
  }
  return command;
}
