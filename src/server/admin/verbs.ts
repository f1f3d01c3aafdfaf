/**
 * Every admin verb and its parameters, in one table: the parser (args.ts) and `help` (help.ts)
 * both read it, so help can never name a parameter the parser does not take, or miss one.
 */
import { PARAMETER_NAMES } from '../../shared/config-schema';
import { OPS_VERBS, type OpsVerb } from './ops-verbs';

export type Verb =
  | 'init'
  | 'get'
  | 'new'
  | 'set'
  | 'remove'
  | 'report'
  | 'purge'
  | 'rotate-telemetry-secret'
  | 'topology'
  | 'new-site'
  | 'remove-site'
  | 'new-pool'
  | 'set-pool'
  | 'remove-pool'
  | 'new-meeting'
  | 'meetings'
  | 'remove-meeting'
  | 'new-dialin-number'
  | 'dialin-numbers'
  | 'remove-dialin-number'
  | 'new-api-key'
  | 'api-keys'
  | 'remove-api-key'
  | 'config-history'
  | 'what-is-collected'
  | OpsVerb
  | 'help';

/** How a value is read; each type has one checker in args.ts. */
export type ParamType =
  | 'switch'
  | 'text'
  | 'identity'
  | 'fqdn'
  | 'site'
  | 'host list'
  | 'domain list'
  | 'sip address'
  | 'region'
  | 'phone number'
  | 'whole number';

export interface ParamSpec {
  name: string;
  type: ParamType;
  required?: boolean;
  /** What applies when the parameter is left out, as help prints it. */
  default?: string;
  summary: string;
}

export interface VerbSpec {
  verb: Verb;
  aliases?: string[];
  summary: string;
  params: ParamSpec[];
  /** new / set also take the configuration parameters (config-schema.ts). */
  takesConfig?: boolean;
  /** At least one of these must be given. */
  oneOf?: string[];
}

const whatIf: ParamSpec = { name: 'WhatIf', type: 'switch', default: 'off', summary: 'show the change, write nothing' };
const json: ParamSpec = { name: 'Json', type: 'switch', default: 'off', summary: 'print JSON for scripts' };
const poolFilter: ParamSpec = { name: 'Pool', type: 'fqdn', default: 'every pool', summary: 'only this pool' };
const poolRequired: ParamSpec = { name: 'Pool', type: 'fqdn', required: true, summary: 'the pool (fqdn)' };
const sipDomains: ParamSpec = {
  name: 'SipDomain',
  type: 'domain list',
  default: 'none',
  summary: 'SIP domains whose organizers the pool hosts (comma-separated; replaces the list)',
};

export const VERBS: VerbSpec[] = [
  {
    verb: 'init',
    summary: 'create an empty store in DATA_DIR, or in DATABASE_URL when set (no demo data)',
    params: [],
  },
  {
    verb: 'get',
    aliases: ['get-cswebserviceconfiguration'],
    summary: 'print the stored configuration documents as JSON',
    params: [
      { name: 'Identity', type: 'identity', default: 'all documents', summary: 'one document' },
      {
        name: 'Effective',
        type: 'switch',
        default: 'off',
        summary: "with -Pool: the configuration the pool's pages get, and which document it came from",
      },
      { name: 'Pool', type: 'fqdn', default: 'none', summary: 'the pool, with -Effective' },
    ],
  },
  {
    verb: 'new',
    aliases: ['new-cswebserviceconfiguration'],
    summary: 'create a Site:<name> or Service:WebServer:<pool> configuration document',
    params: [{ name: 'Identity', type: 'identity', required: true, summary: 'the new document' }, whatIf],
    takesConfig: true,
  },
  {
    verb: 'set',
    aliases: ['set-cswebserviceconfiguration'],
    summary: 'change a configuration document',
    params: [
      {
        name: 'Identity',
        type: 'identity',
        default: 'Global',
        summary: "the document, or '*' (quoted) for every stored document at once, in one transaction",
      },
      whatIf,
    ],
    takesConfig: true,
    oneOf: PARAMETER_NAMES,
  },
  {
    verb: 'remove',
    aliases: ['remove-cswebserviceconfiguration'],
    summary: 'delete a configuration document (Global is reset to product defaults)',
    params: [{ name: 'Identity', type: 'identity', required: true, summary: 'the document' }, whatIf],
  },
  {
    verb: 'report',
    summary: 'the telemetry per pool and day, as text, JSON, CSV or a self-contained HTML file with charts',
    params: [
      poolFilter,
      { name: 'Since', type: 'text', default: '-Days before -Until', summary: 'first day, YYYY-MM-DD' },
      { name: 'Until', type: 'text', default: 'today', summary: 'last day, YYYY-MM-DD' },
      { name: 'Days', type: 'whole number', default: '30', summary: 'how many days, up to -Until' },
      { name: 'Utc', type: 'switch', default: "off (this machine's time zone)", summary: 'days in UTC' },
      json,
      { name: 'Csv', type: 'switch', default: 'off', summary: 'one row per pool and day, RFC 4180' },
      { name: 'Html', type: 'text', default: 'none', summary: 'write a self-contained HTML report to this file' },
    ],
  },
  {
    verb: 'purge',
    summary: 'delete stored telemetry older than N days',
    params: [
      poolFilter,
      {
        name: 'OlderThanDays',
        type: 'whole number',
        default: 'TELEMETRY_RETENTION_DAYS or 30',
        summary: '0 deletes all of it',
      },
      whatIf,
    ],
  },
  {
    verb: 'rotate-telemetry-secret',
    summary: 'replace the secret that keys stored UserID hashes (later hashes no longer match earlier ones)',
    params: [whatIf],
  },
  { verb: 'topology', summary: 'sites, their pools, web hosts and SIP domains', params: [json] },
  {
    verb: 'new-site',
    summary: 'add a site',
    params: [{ name: 'Identity', type: 'site', required: true, summary: 'the site name, e.g. Redmond' }, whatIf],
  },
  {
    verb: 'remove-site',
    summary: 'remove a site (refused while pools or its document use it)',
    params: [{ name: 'Identity', type: 'site', required: true, summary: 'the site name' }, whatIf],
  },
  {
    verb: 'new-pool',
    summary: 'add a pool to a site, with the web hosts it serves',
    params: [
      { name: 'Identity', type: 'fqdn', required: true, summary: 'the pool fqdn, e.g. pool03.contoso.com' },
      { name: 'Site', type: 'site', required: true, summary: 'its site' },
      {
        name: 'WebHost',
        type: 'host list',
        required: true,
        summary: 'host names its pages are served on (comma-separated; the first is used in links)',
      },
      sipDomains,
      whatIf,
    ],
  },
  {
    verb: 'set-pool',
    summary: "change a pool's site, web hosts or SIP domains",
    params: [
      { name: 'Identity', type: 'fqdn', required: true, summary: 'the pool fqdn' },
      { name: 'Site', type: 'site', default: 'unchanged', summary: 'move it to this site' },
      { name: 'WebHost', type: 'host list', default: 'unchanged', summary: 'replace its web hosts' },
      { ...sipDomains, default: 'unchanged' },
      whatIf,
    ],
    oneOf: ['Site', 'WebHost', 'SipDomain'],
  },
  {
    verb: 'remove-pool',
    summary: 'remove a pool (refused while meetings, numbers, keys or its document use it)',
    params: [{ name: 'Identity', type: 'fqdn', required: true, summary: 'the pool fqdn' }, whatIf],
  },
  {
    verb: 'new-meeting',
    summary: 'schedule a meeting; prints its guest and organizer links and IDs',
    params: [
      { name: 'Organizer', type: 'sip address', required: true, summary: 'e.g. alice@contoso.com' },
      { name: 'Subject', type: 'text', required: true, summary: 'shown on the join page (1-200 characters)' },
      { name: 'Lobby', type: 'switch', default: 'off', summary: 'guests wait in the lobby until admitted' },
      { name: 'Pool', type: 'fqdn', default: "the pool hosting the organizer's SIP domain", summary: 'the pool' },
      json,
      whatIf,
    ],
  },
  { verb: 'meetings', summary: 'the meetings with their guest and organizer links', params: [poolFilter, json] },
  {
    verb: 'remove-meeting',
    summary: 'remove a meeting (open pages see it end)',
    params: [
      { name: 'Identity', type: 'text', required: true, summary: '<organizer>/<conferenceId>, e.g. alice/7Q3DSSYV' },
      whatIf,
    ],
  },
  {
    verb: 'new-dialin-number',
    summary: "add a dial-in number to a pool's directory",
    params: [
      poolRequired,
      { name: 'Region', type: 'region', required: true, summary: 'ISO country code, e.g. US' },
      { name: 'Number', type: 'phone number', required: true, summary: 'E.164, e.g. +14255550100' },
      { name: 'Display', type: 'text', default: 'the number', summary: 'how it is shown, e.g. "+1 (425) 555-0100"' },
      { name: 'TollFree', type: 'switch', default: 'off', summary: 'a toll-free number' },
      whatIf,
    ],
  },
  { verb: 'dialin-numbers', summary: 'the dial-in numbers', params: [poolFilter, json] },
  {
    verb: 'remove-dialin-number',
    summary: 'remove a dial-in number',
    params: [poolRequired, { name: 'Number', type: 'phone number', required: true, summary: 'E.164' }, whatIf],
  },
  {
    verb: 'new-api-key',
    summary: 'make a scheduling API key for a pool (shown once, stored hashed)',
    params: [
      poolRequired,
      { name: 'Name', type: 'text', required: true, summary: 'what uses it, e.g. "Outlook add-in"' },
      json,
    ],
  },
  { verb: 'api-keys', summary: 'the scheduling API keys (names only)', params: [poolFilter, json] },
  {
    verb: 'remove-api-key',
    summary: 'revoke a scheduling API key',
    params: [poolRequired, { name: 'Name', type: 'text', required: true, summary: 'its name' }, whatIf],
  },
  {
    verb: 'config-history',
    summary: 'every recorded change to a configuration document, oldest first: when, who, which parameter, old and new',
    params: [
      {
        name: 'Identity',
        type: 'identity',
        default: 'every document',
        summary: 'one document (also one removed since)',
      },
      {
        name: 'Parameter',
        type: 'text',
        default: 'every parameter',
        summary: 'one parameter, e.g. MeetingUxEnableTelemetry',
      },
      {
        name: 'Since',
        type: 'text',
        default: 'the beginning',
        summary: 'changes at or after: YYYY-MM-DD (UTC midnight) or an ISO time with zone, e.g. 2026-12-07T09:30Z',
      },
      json,
    ],
  },
  {
    verb: 'what-is-collected',
    summary: "what a pool's pages send when its MeetingUxEnableTelemetry is on, with each pool's switch and its source",
    params: [poolFilter, json],
  },
  ...OPS_VERBS,
  { verb: 'help', aliases: ['--help', '-h'], summary: 'this list; help <verb> for one verb', params: [] },
];

export function verbSpec(verb: Verb): VerbSpec {
  return VERBS.find((v) => v.verb === verb) as VerbSpec;
}

/** The verb named by a verb or cmdlet name in any case. */
export function findVerb(name: string): VerbSpec | undefined {
  const lower = name.toLowerCase();
  return VERBS.find((v) => v.verb === lower || v.aliases?.includes(lower));
}
