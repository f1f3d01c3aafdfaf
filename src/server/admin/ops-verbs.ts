/**
 * The day-2 verbs (backup, restore, version) in verbs.ts's table form. They work on a place rather
 * than an open store (restore fills an empty DATA_DIR; version needs none), so commands.ts hands
 * them the store's location before it opens anything (ops-commands.ts).
 */
import type { ParamSpec, VerbSpec } from './verbs';

export type OpsVerb = 'backup' | 'restore' | 'version';

const json: ParamSpec = { name: 'Json', type: 'switch', default: 'off', summary: 'print JSON for scripts' };

export const OPS_VERBS: (VerbSpec & { verb: OpsVerb })[] = [
  {
    verb: 'backup',
    summary: 'copy the SQLite store (and its telemetry secret) to one file, 0600, while the service runs',
    params: [{ name: 'Path', type: 'text', required: true, summary: 'the backup file, outside DATA_DIR (replaced)' }],
  },
  {
    verb: 'restore',
    summary: 'make the store in an empty DATA_DIR from a backup file (never over an existing store)',
    params: [{ name: 'Path', type: 'text', required: true, summary: 'a file made by backup' }],
  },
  { verb: 'version', summary: 'the version, the commit it was built from and the Node version', params: [json] },
];

export function isOpsVerb(verb: string): verb is OpsVerb {
  return OPS_VERBS.some((spec) => spec.verb === verb);
}
