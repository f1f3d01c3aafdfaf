/**
 * What each admin CLI verb does to the store; returns the lines to print or throws. The store must
 * exist (a mistyped DATA_DIR is refused, not turned into a new store); only `init` makes one, empty.
 * No verb writes demo data.
 */
import { PARAMETER_NAMES, PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import { type Db, openDatabase, storeExists } from '../db';
import type { LinkStyle } from '../links';
import { rotateSecret, SECRET_FILE } from '../secret';
import { type Store, sqliteStore } from '../sql/store';
import { ensureReserve } from '../storage/disk';
import { adminWrite } from '../store/admin-write';
import {
  effectiveConfigFor,
  getDocument,
  type Identity,
  identityString,
  listDocuments,
  parseIdentity,
  putDocument,
  removeDocument,
} from '../store/config-store';
import { demoPort, isProductionStore, markStoreKind } from '../store/meta';
import { purgeInSlices } from '../telemetry/purge';
import { runReport } from '../telemetry/report';
import { PeriodError } from '../telemetry/report/period';
import { countOlderThan } from '../telemetry/retention';
import { findPool } from '../topology';
import { apiKeys, newApiKey, removeApiKey } from './api-key-commands';
import { CliUsageError, type Command } from './args';
import { CliError, type VerbContext } from './context';
import { dialInNumbers, newDialInNumber, removeDialInNumber } from './dialin-commands';
import { helpText } from './help';
import { meetings, newMeeting, removeMeeting } from './meeting-commands';
import { newPool, newSite, removePool, removeSite, setPool, topology } from './topology-commands';
import type { Verb } from './verbs';

export { CliError } from './context';

const HANDLERS: Partial<Record<Verb, (ctx: VerbContext) => string[]>> = {
  topology,
  'new-site': newSite,
  'remove-site': removeSite,
  'new-pool': newPool,
  'set-pool': setPool,
  'remove-pool': removePool,
  'new-meeting': newMeeting,
  meetings,
  'remove-meeting': removeMeeting,
  'new-dialin-number': newDialInNumber,
  'dialin-numbers': dialInNumbers,
  'remove-dialin-number': removeDialInNumber,
  'new-api-key': newApiKey,
  'api-keys': apiKeys,
  'remove-api-key': removeApiKey,
};

function describeChanges(before: WebServiceConfig, after: WebServiceConfig): string {
  const changed = PARAMETER_NAMES.filter((name) => before[name] !== after[name]);
  if (changed.length === 0) return 'no change';
  return changed.map((name) => `${name}: ${JSON.stringify(before[name])} -> ${JSON.stringify(after[name])}`).join(', ');
}

function configOf(doc: WebServiceConfig): WebServiceConfig {
  const config = {} as Record<string, unknown>;
  for (const name of PARAMETER_NAMES) config[name] = doc[name];
  return config as WebServiceConfig;
}

function init(dataDir: string): string[] {
  if (storeExists(dataDir)) throw new CliError(`${dataDir} already holds a store; init changed nothing.`);
  const db = openDatabase(dataDir);
  ensureReserve(dataDir);
  try {
    markStoreKind(db, 'production');
  } finally {
    db.close();
  }
  return [`Created an empty store in ${dataDir}. Next: new-site, new-pool, new-meeting (see "help").`];
}

/** Production stores print https links; the demo's go to the port its server listens on. */
function linkStyleOf(db: Db, port: number | undefined): LinkStyle {
  if (isProductionStore(db)) return { kind: 'https' };
  return { kind: 'http', port: port ?? demoPort(db) ?? 8080 };
}

/**
 * `port`: the PORT the admin was given, if any; demo links otherwise use the port the demo server
 * last listened on.
 */
export function runCommand(command: Command, dataDir: string, port?: number, retentionDays = 30): string[] {
  if (command.verb === 'help') return [helpText(command.topic)];
  if (command.verb === 'init') return init(dataDir);
  if (!storeExists(dataDir))
    throw new CliError(`There is no store in ${dataDir}: check DATA_DIR, or create one there with "init".`);
  const db = openDatabase(dataDir);
  try {
    const handler = HANDLERS[command.verb];
    if (handler) return handler({ db, command, links: linkStyleOf(db, port), retentionDays, now: Date.now() });
    return configAndTelemetryVerb(db, command);
  } finally {
    db.close();
  }
}

function effective(db: Db, fqdn: string): string[] {
  const pool = findPool(db, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  const { Identity, ...config } = effectiveConfigFor(db, pool);
  return [JSON.stringify({ Pool: pool.fqdn, Source: Identity, ...config }, null, 2)];
}

function configAndTelemetryVerb(db: Db, command: Command): string[] {
  const identity = (): Identity =>
    command.identity === undefined ? { kind: 'global' } : parseIdentity(db, command.identity);
  switch (command.verb) {
    case 'get': {
      if (command.options.Effective === true) return effective(db, command.pool as string);
      if (command.identity === undefined) return [JSON.stringify(listDocuments(db), null, 2)];
      const id = identity();
      const doc = getDocument(db, id);
      if (!doc) throw new CliError(`There is no configuration document ${identityString(id)}; create it with "new".`);
      return [JSON.stringify([doc], null, 2)];
    }
    case 'new': {
      const id = identity();
      if (id.kind === 'global') throw new CliError('Global always exists: change it with "set".');
      if (getDocument(db, id)) throw new CliError(`${identityString(id)} already exists: change it with "set".`);
      const after = { ...PRODUCT_DEFAULTS, ...command.changes };
      if (command.whatIf) return [`What if: would create ${identityString(id)} with ${JSON.stringify(after)}`];
      return adminWrite(db, () => {
        if (getDocument(db, id)) throw new CliError(`${identityString(id)} already exists: change it with "set".`);
        return [JSON.stringify(putDocument(db, id, after), null, 2)];
      });
    }
    case 'set': {
      const id = identity();
      const changesOf = () => {
        const before = getDocument(db, id);
        if (!before)
          throw new CliError(`There is no configuration document ${identityString(id)}; create it with "new".`);
        return { before, after: { ...configOf(before), ...command.changes } };
      };
      if (command.whatIf) {
        const { before, after } = changesOf();
        return [`What if: would set ${identityString(id)}: ${describeChanges(before, after)}`];
      }
      // Read and write in one transaction: a concurrent set cannot slip in between and be lost.
      return adminWrite(db, () => {
        const { before, after } = changesOf();
        putDocument(db, id, after);
        return [`Set ${identityString(id)}: ${describeChanges(before, after)}`];
      });
    }
    case 'remove': {
      const id = identity();
      const what = id.kind === 'global' ? 'reset Global to product defaults' : `remove ${identityString(id)}`;
      const mustExist = () => {
        if (!getDocument(db, id))
          throw new CliError(`There is no configuration document ${identityString(id)} to remove.`);
      };
      if (command.whatIf) {
        mustExist();
        return [`What if: would ${what}`];
      }
      return adminWrite(db, () => {
        mustExist();
        removeDocument(db, id);
        return [id.kind === 'global' ? 'Reset Global to product defaults' : `Removed ${identityString(id)}`];
      });
    }
    case 'report':
    case 'purge':
    case 'rotate-telemetry-secret':
      // Checked here too, so a mistyped pool fails the same way on either door.
      telemetryVerbPool(db, command);
      throw new CliError(`${command.verb} works on the store asynchronously: run it through runCommandAsync.`);
    default:
      throw new CliError(`${command.verb} is not a configuration verb.`);
  }
}

/** The pool a telemetry verb names, as the topology spells it (undefined: every pool). */
function telemetryVerbPool(db: Db, command: Command): string | undefined {
  if (command.pool === undefined) return undefined;
  const pool = findPool(db, command.pool)?.fqdn;
  if (!pool) throw new CliError(`There is no pool named "${command.pool}".`);
  return pool;
}

async function telemetryVerb(db: Db, store: Store, command: Command, retentionDays: number): Promise<string[]> {
  if (command.verb === 'rotate-telemetry-secret') {
    const where = store.dialect === 'sqlite' ? SECRET_FILE : 'the telemetry_secret table';
    if (command.whatIf) return [`What if: would replace the telemetry secret in ${where}`];
    await rotateSecret(store);
    return [
      `Replaced the telemetry secret in ${where}. ${
        store.dialect === 'sqlite'
          ? 'Restart the server to hash with it'
          : 'Every node hashes with it from its next commit'
      }; UserIDs stored from now on cannot be linked to those stored before.`,
    ];
  }
  const pool = telemetryVerbPool(db, command);
  if (command.verb === 'report') {
    try {
      return await runReport(
        store.sql,
        command.report ?? { utc: false, form: command.json ? 'json' : 'text' },
        command.pool,
      );
    } catch (error) {
      if (error instanceof PeriodError) throw new CliUsageError(error.message);
      throw error;
    }
  }
  const days = command.olderThanDays ?? retentionDays;
  const scope = `${pool ? ` of ${pool}` : ''} ${days === 0 ? '(all of it)' : `received more than ${days} days ago`}`;
  if (command.whatIf)
    return [`What if: would delete ${await countOlderThan(store, days, Date.now(), pool)} telemetry events${scope}`];
  const deleted = await purgeInSlices(store, days, Date.now(), pool);
  return [`Deleted ${deleted} telemetry events${scope}; the freed space is back on the disk`];
}

/**
 * Every verb, the telemetry ones (report, purge, rotate-telemetry-secret) included: their store work is asynchronous (the
 * same code serves SQLite and PostgreSQL). The CLI calls this.
 */
export async function runCommandAsync(
  command: Command,
  dataDir: string,
  port?: number,
  retentionDays = 30,
): Promise<string[]> {
  if (command.verb !== 'report' && command.verb !== 'purge' && command.verb !== 'rotate-telemetry-secret')
    return runCommand(command, dataDir, port, retentionDays);
  if (!storeExists(dataDir))
    throw new CliError(`There is no store in ${dataDir}: check DATA_DIR, or create one there with "init".`);
  const db = openDatabase(dataDir);
  try {
    return await telemetryVerb(db, sqliteStore(db, dataDir), command, retentionDays);
  } finally {
    db.close();
  }
}
