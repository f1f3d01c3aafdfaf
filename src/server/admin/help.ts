/** `help` and `help <verb>`, written from the verb table, so every verb and parameter is listed. */
import { PARAMETER_NAMES, PRODUCT_DEFAULTS } from '../../shared/config-schema';
import { type ParamSpec, VERBS, type Verb, type VerbSpec, verbSpec } from './verbs';

function signature(spec: VerbSpec): string {
  const params = spec.params.map((p) => {
    const value = p.type === 'switch' ? '' : ` <${p.type}>`;
    return p.required ? `-${p.name}${value}` : `[-${p.name}${value}]`;
  });
  if (spec.takesConfig) params.push('[-<Parameter> <value> ...]');
  if (spec.verb === 'help') params.push('[<verb>]');
  return [spec.verb, ...params].join(' ');
}

function paramLine(p: ParamSpec): string {
  const when = p.required ? 'required' : `default: ${p.default ?? 'none'}`;
  return `    -${p.name.padEnd(14)} ${p.type.padEnd(13)} ${when.padEnd(39)} ${p.summary}`;
}

function configLines(): string[] {
  return [
    '  Configuration parameters (new, set):',
    ...PARAMETER_NAMES.map((name) => {
      const value = PRODUCT_DEFAULTS[name];
      const type = typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'whole number' : 'text';
      return `    -${name.padEnd(33)} ${type.padEnd(13)} default: ${JSON.stringify(value)}`;
    }),
  ];
}

function verbHelp(spec: VerbSpec): string[] {
  const aliases = spec.aliases?.filter((a) => !a.startsWith('-')) ?? [];
  return [
    `  ${signature(spec)}`,
    `      ${spec.summary}${aliases.length ? ` (also ${aliases.join(', ')})` : ''}`,
    ...spec.params.map(paramLine),
  ];
}

const FOOTER = [
  'Parameter names are case-insensitive: --Name value, -Name value, --Name=value, -Name:value.',
  "Booleans and switches: true, false, $true, $false (quote '$true' in bash). Errors exit 2 (usage)",
  'or 1 (cannot be done) with one line, and leave the store as it was. DATA_DIR names the store,',
  'or DATABASE_URL (postgres://...) when set.',
  'After new, set and remove, stderr has one line per pool that does not get what was written, naming',
  "the document that decides for it (stdout stays the verb's output). set -Identity '*' writes every",
  'document at once. Every change is kept: see config-history.',
];

export function helpText(topic?: Verb): string {
  if (topic !== undefined) {
    const spec = verbSpec(topic);
    return [
      `Usage: npm run admin -- ${signature(spec)}`,
      ...verbHelp(spec).slice(1),
      ...(spec.takesConfig ? configLines() : []),
    ].join('\n');
  }
  return [
    'Usage: npm run admin -- <verb> [parameters]   (help <verb> shows one verb)',
    ...VERBS.flatMap(verbHelp),
    ...configLines(),
    ...FOOTER,
  ].join('\n');
}
