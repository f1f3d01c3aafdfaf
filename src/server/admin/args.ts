/**
 * The admin CLI's command line, modelled on the CsWebServiceConfiguration cmdlets: verbs or
 * cmdlet names, `--Param value`, `-Param value`, `--Param=value` or `-Param:value`, names in any
 * case. Which verb takes which parameter is the table in verbs.ts. Parsing is pure and total:
 * every mistake becomes one CliUsageError line, with the nearest known name when there is one.
 */
import {
  canonicalParameterName,
  PARAMETER_NAMES,
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
  type ReportControl,
  type ReportOptions,
  ReportUsageError,
} from '../telemetry/report/options';
import { parseSipAddress } from '../topology/scheduling';
import { nearest } from './nearest';
import { findVerb, type ParamSpec, type ParamType, VERBS, type Verb, type VerbSpec } from './verbs';

export type { Verb } from './verbs';

export interface Command {
  verb: Verb;
  identity?: string;
  changes: Partial<WebServiceConfig>;
  whatIf: boolean;
  json: boolean;
  pool?: string;
  /** purge: delete telemetry received more than this many days ago (0 = all). */
  olderThanDays?: number;
  /** Every other parameter given, by its canonical name (switches are booleans). */
  options: Record<string, string | boolean>;
  /** help <verb> */
  topic?: Verb;
  /** report: the period and the form (text unless --Json, --Csv or --Html FILE). */
  report?: ReportOptions;
  /** config-history -Since, as ms since the epoch. */
  since?: number;
  /** config-history -Parameter, by its canonical name. */
  parameter?: ParameterName;
}

export class CliUsageError extends Error {}

const VERB_LIST = 'see "help" for the verbs';

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

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const SITE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

function list(name: string, raw: string, valid: (item: string) => boolean, what: string, allowEmpty: boolean) {
  const items = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (items.length === 0 && !allowEmpty) throw new CliUsageError(`-${name} needs at least one ${what}.`);
  const bad = items.find((item) => !valid(item));
  if (bad !== undefined) throw new CliUsageError(`-${name}: "${bad}" is not a valid ${what}.`);
  const twice = items.find((item, i) => items.indexOf(item) !== i);
  if (twice !== undefined) throw new CliUsageError(`-${name} names ${twice} twice.`);
  return items.join(',');
}

/** Checks and normalizes a value of the parameter's type; throws one line. */
function checkValue(spec: ParamSpec, raw: string): string {
  const { name } = spec;
  switch (spec.type as Exclude<ParamType, 'switch'>) {
    case 'identity':
      return raw;
    case 'text': {
      const text = raw.trim();
      if (text === '') throw new CliUsageError(`-${name} is empty.`);
      if (CONTROL.test(text)) throw new CliUsageError(`-${name} contains control characters.`);
      if (text.length > 200) throw new CliUsageError(`-${name} is longer than 200 characters.`);
      return text;
    }
    case 'fqdn':
      if (!DOMAIN.test(raw)) throw new CliUsageError(`-${name} must be a fully qualified domain name, not "${raw}".`);
      return raw.toLowerCase();
    case 'site':
      if (!SITE.test(raw))
        throw new CliUsageError(
          `-${name} must be a site name (letters, digits, space . _ -; at most 64), not "${raw}".`,
        );
      return raw;
    case 'host list':
      return list(name, raw, (h) => DOMAIN.test(h) || IPV4.test(h) || h === 'localhost', 'host name', false);
    case 'domain list':
      return list(name, raw, (d) => DOMAIN.test(d), 'SIP domain', true);
    case 'sip address':
      if (!parseSipAddress(raw))
        throw new CliUsageError(`-${name} must be a SIP address such as alice@contoso.com, not "${raw}".`);
      return raw.trim();
    case 'region':
      if (!/^[A-Za-z]{2}$/.test(raw))
        throw new CliUsageError(`-${name} must be a two-letter country code such as US, not "${raw}".`);
      return raw.toUpperCase();
    case 'phone number': {
      const number = raw.replace(/[\s().-]/g, '');
      if (!/^\+[1-9]\d{6,14}$/.test(number))
        throw new CliUsageError(`-${name} must be an E.164 number such as +14255550100, not "${raw}".`);
      return number;
    }
    case 'whole number':
      if (!/^\d{1,4}$/.test(raw)) throw new CliUsageError(`-${name} must be a whole number of days, not "${raw}".`);
      return raw;
  }
}

function unknownParameter(spec: VerbSpec, name: string): CliUsageError {
  const configName = canonicalParameterName(name);
  if (configName)
    return new CliUsageError(`${spec.verb} does not take -${configName}; only new and set change parameters.`);
  const known = [...spec.params.map((p) => p.name), ...(spec.takesConfig ? PARAMETER_NAMES : [])];
  const guess = nearest(name, known);
  return new CliUsageError(
    `Unknown parameter -${name} for ${spec.verb}.${guess ? ` Did you mean -${guess}?` : ` See "help ${spec.verb}".`}`,
  );
}

function parseHelp(rest: readonly string[]): Command {
  const command: Command = { verb: 'help', changes: {}, whatIf: false, json: false, options: {} };
  if (rest.length > 1) throw new CliUsageError('help takes at most one verb.');
  const topic = rest[0];
  if (topic === undefined) return command;
  const spec = findVerb(topic.replace(/^-+/, ''));
  if (!spec) throw unknownVerb(topic);
  command.topic = spec.verb;
  return command;
}

function unknownVerb(name: string): CliUsageError {
  const guess = nearest(
    name,
    VERBS.map((v) => v.verb),
  );
  return new CliUsageError(`Unknown verb "${name}"${guess ? `: did you mean ${guess}?` : ''} (${VERB_LIST}).`);
}

/** report's period and form, from the options the table let through (report/options.ts checks them). */
function reportOptionsOf(command: Command): ReportOptions {
  const options: ReportOptions = { utc: false, form: 'text' };
  try {
    for (const control of REPORT_CONTROLS) {
      const value = command.options[control];
      if (value === undefined) continue;
      if (typeof value === 'boolean') applyReportSwitch(options, control as ReportControl, value);
      else applyReportValue(options, control as ReportControl, value);
    }
    return finishReportOptions(options, command.json);
  } catch (error) {
    if (error instanceof ReportUsageError) throw new CliUsageError(error.message);
    throw error;
  }
}

const SINCE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * config-history -Since: a day (`YYYY-MM-DD`, from 00:00 UTC, the zone history is printed in) or an
 * ISO time with its zone (`2026-12-07T09:30Z`, `...+01:00`); a time without a zone is ambiguous.
 */
export function parseSince(raw: string): number {
  const text = raw.trim();
  const match = SINCE.exec(text);
  const [, y, mo, d, h = '00', mi = '00', sec = '00'] = match ?? [];
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const real =
    match &&
    day.getUTCFullYear() === Number(y) &&
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec) < 60;
  const at = real ? Date.parse(match[4] === undefined ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (!Number.isFinite(at))
    throw new CliUsageError(
      `-Since must be a date (YYYY-MM-DD, UTC) or an ISO time with its zone (2026-12-07T09:30Z), not "${raw}".`,
    );
  return at;
}

/** config-history -Parameter: a configuration parameter's name, in any case. */
function historyParameter(raw: string): ParameterName {
  const name = canonicalParameterName(raw);
  if (name) return name;
  const guess = nearest(raw, PARAMETER_NAMES);
  throw new CliUsageError(
    `-Parameter: there is no parameter "${raw}".${guess ? ` Did you mean ${guess}?` : ' See "help set".'}`,
  );
}

/**
 * `*` alone means every document, and only `set` writes with it (`get` lists them all); any other
 * pattern is refused, so `Site:*` cannot pass for a site named "*".
 */
function checkWildcard(verb: Verb, identity: string | undefined): void {
  if (identity === undefined || !identity.includes('*')) return;
  if (identity.trim() !== '*')
    throw new CliUsageError(
      `-Identity "${identity}": the only wildcard is * on its own (every document, with set); name one document otherwise.`,
    );
  if (verb === 'set' || verb === 'get') return;
  if (verb === 'new')
    throw new CliUsageError(
      'new cannot take -Identity *: it creates one document; name it (Site:<name> or Service:WebServer:<pool fqdn>).',
    );
  if (verb === 'remove')
    throw new CliUsageError('remove does not take -Identity *: remove documents one at a time, by name.');
  throw new CliUsageError(`${verb} does not take -Identity *: leave -Identity out for every document.`);
}

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new CliUsageError(`No verb given (${VERB_LIST}).`);
  const spec = findVerb(first);
  if (!spec) throw unknownVerb(first);
  if (spec.verb === 'help') return parseHelp(rest);
  const command: Command = { verb: spec.verb, changes: {}, whatIf: false, json: false, options: {} };
  const seen = new Set<string>();

  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    const option = splitOption(token);
    if (!option) throw new CliUsageError(`Unexpected argument "${token}": parameters are written --Name value.`);
    const param = spec.params.find((p) => p.name.toLowerCase() === option.name.toLowerCase());
    const configName = spec.takesConfig ? canonicalParameterName(option.name) : undefined;
    const canonical = param?.name ?? configName;
    if (!canonical) throw unknownParameter(spec, option.name);
    if (seen.has(canonical)) throw new CliUsageError(`-${canonical} is given more than once.`);
    seen.add(canonical);

    if (param?.type === 'switch') {
      const on = parseSwitch(canonical, option.inline);
      if (canonical === 'WhatIf') command.whatIf = on;
      else if (canonical === 'Json') command.json = on;
      else command.options[canonical] = on;
      continue;
    }
    let raw = option.inline;
    if (raw === undefined) {
      const next = rest[i + 1];
      if (next === undefined || splitOption(next)) {
        const isBoolean = configName !== undefined && typeof PRODUCT_DEFAULTS[configName] === 'boolean';
        const hint = isBoolean ? " (true or false; in bash quote '$true', or it arrives empty)" : '';
        throw new CliUsageError(`-${canonical} needs a value${hint}.`);
      }
      raw = next;
      i++;
    }
    if (configName && !param) {
      const parsed = parseParameterValue(configName, raw);
      if (!parsed.ok) throw new CliUsageError(parsed.message);
      (command.changes as Record<ParameterName, unknown>)[configName] = parsed.value;
      continue;
    }
    const value = checkValue(param as ParamSpec, raw);
    if (canonical === 'Identity') command.identity = value;
    else if (canonical === 'Pool') command.pool = value;
    else if (canonical === 'OlderThanDays') command.olderThanDays = Number(value);
    else command.options[canonical] = value;
  }

  for (const param of spec.params) {
    if (param.required && !seen.has(param.name)) {
      const hint =
        param.name === 'Identity' && spec.takesConfig ? ' (Site:<name> or Service:WebServer:<pool fqdn>)' : '';
      throw new CliUsageError(`${spec.verb} needs --${param.name}${hint}.`);
    }
  }
  if (spec.oneOf && !spec.oneOf.some((name) => seen.has(name))) {
    throw new CliUsageError(
      spec.verb === 'set'
        ? 'set needs at least one parameter to change, e.g. --MeetingUxEnableTelemetry true.'
        : `${spec.verb} needs at least one of ${spec.oneOf.map((n) => `-${n}`).join(', ')}.`,
    );
  }
  if (spec.verb === 'report') command.report = reportOptionsOf(command);
  if (spec.params.some((p) => p.type === 'identity')) checkWildcard(spec.verb, command.identity);
  if (spec.verb === 'config-history') {
    const { Since, Parameter } = command.options;
    if (typeof Since === 'string') command.since = parseSince(Since);
    if (typeof Parameter === 'string') command.parameter = historyParameter(Parameter);
  }
  if (spec.verb === 'get' && command.options.Effective === true && command.pool === undefined) {
    throw new CliUsageError('get -Effective needs -Pool <fqdn>.');
  }
  if (spec.verb === 'get' && command.options.Effective === true && command.identity !== undefined) {
    throw new CliUsageError('get takes -Identity or -Effective -Pool, not both.');
  }
  return command;
}
