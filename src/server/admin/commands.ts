/**
 * What each admin CLI verb does to the store; returns the lines to print or throws. The store must
 * exist (a mistyped DATA_DIR is refused, not turned into a new store); only `init` makes one, empty.
 * No verb writes demo data.
 */
import { PARAMETER_NAMES, PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import { openDatabase, storeExists } from '../db';
import type { LinkStyle } from '../links';
import { rotateSecret, SECRET_FILE } from '../secret';
import type { Sql } from '../sql/sql';
import { migrateStore, openStore, redactUrl, type Store, type StoreLocation, sqliteStore } from '../sql/store';
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
import { demoPort, isProductionStore, markStoreKind, storeKindRecorded } from '../store/meta';
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
import { OPS_HANDLERS } from './ops-commands';
import { isOpsVerb } from './ops-verbs';
import { newPool, newSite, removePool, removeSite, setPool, topology } from './topology-commands';
import type { Verb } from './verbs';

export { CliError } from './context';

const HANDLERS: Partial<Record<Verb, (ctx: VerbContext) => Promise<string[]>>> = {
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

/** A PostgreSQL database holds a store once init, `npm start` or `npm run serve` made one there. */
async function postgresStoreMade(sql: Sql): Promise<boolean> {
  const table = await sql.get<{ name: string | null }>("SELECT to_regclass('meta')::text AS name");
  return table?.name != null && (await storeKindRecorded(sql));
}

async function init(location: StoreLocation): Promise<string[]> {
  const next = 'Next: new-site, new-pool, new-meeting (see "help").';
  if (location.databaseUrl) {
    const where = redactUrl(location.databaseUrl);
    const store = await openStore(location, { poolSize: 2, migrate: false });
    try {
      if (await postgresStoreMade(store.sql))
        throw new CliError(`${where} already holds a store; init changed nothing.`);
      await migrateStore(store);
      await markStoreKind(store.sql, 'production');
    } finally {
      await store.close();
    }
    return [`Created an empty store in ${where}. ${next}`];
  }
  const { dataDir } = location;
  if (storeExists(dataDir)) throw new CliError(`${dataDir} already holds a store; init changed nothing.`);
  const store = sqliteStore(openDatabase(dataDir), dataDir);
  ensureReserve(dataDir);
  try {
    await markStoreKind(store.sql, 'production');
  } finally {
    await store.close();
  }
  return [`Created an empty store in ${dataDir}. ${next}`];
}

/**
 * The store the verbs work on; it must exist (a mistyped DATA_DIR or DATABASE_URL is refused, not
 * turned into a new store). A PostgreSQL store is brought to the current schema.
 */
async function openMadeStore(location: StoreLocation): Promise<Store> {
  if (!location.databaseUrl) {
    if (!storeExists(location.dataDir))
      throw new CliError(`There is no store in ${location.dataDir}: check DATA_DIR, or create one there with "init".`);
    return openStore(location);
  }
  const store = await openStore(location, { poolSize: 2, migrate: false });
  try {
    if (!(await postgresStoreMade(store.sql)))
      throw new CliError(
        `There is no store in ${redactUrl(location.databaseUrl)}: check DATABASE_URL, or create one there with "init".`,
      );
    await migrateStore(store);
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Production stores print https links; the demo's go to the port its server listens on. */
async function linkStyleOf(sql: Sql, port: number | undefined): Promise<LinkStyle> {
  if (await isProductionStore(sql)) return { kind: 'https' };
  return { kind: 'http', port: port ?? (await demoPort(sql)) ?? 8080 };
}

/**
 * Runs one verb on the store at `location` (DATA_DIR, or DATABASE_URL when set). `port`: the PORT
 * the admin was given, if any; demo links otherwise use the port the demo server last listened on.
 */
export async function runCommand(
  command: Command,
  location: StoreLocation,
  port?: number,
  retentionDays = 30,
): Promise<string[]> {
  if (command.verb === 'help') return [helpText(command.topic)];
  if (command.verb === 'init') return init(location);
  if (isOpsVerb(command.verb)) return OPS_HANDLERS[command.verb](command, location);
  const store = await openMadeStore(location);
  try {
    const ctx: VerbContext = {
      store,
      sql: store.sql,
      command,
      links: await linkStyleOf(store.sql, port),
      retentionDays,
      now: Date.now(),
    };
    const handler = HANDLERS[command.verb];
    if (handler) return await handler(ctx);
    return await configAndTelemetryVerb(ctx);
  } finally {
    await store.close();
  }
}

async function effective(sql: Sql, fqdn: string): Promise<string[]> {
  const pool = await findPool(sql, fqdn);
  if (!pool) throw new CliError(`There is no pool named "${fqdn}".`);
  const { Identity, ...config } = await effectiveConfigFor(sql, pool);
  return [JSON.stringify({ Pool: pool.fqdn, Source: Identity, ...config }, null, 2)];
}

async function configAndTelemetryVerb(ctx: VerbContext): Promise<string[]> {
  const { store, sql, command, retentionDays } = ctx;
  const identity = async (sql: Sql): Promise<Identity> =>
    command.identity === undefined ? { kind: 'global' } : parseIdentity(sql, command.identity);
  switch (command.verb) {
    case 'get': {
      if (command.options.Effective === true) return effective(sql, command.pool as string);
      if (command.identity === undefined) return [JSON.stringify(await listDocuments(sql), null, 2)];
      const id = await identity(sql);
      const doc = await getDocument(sql, id);
      if (!doc) throw new CliError(`There is no configuration document ${identityString(id)}; create it with "new".`);
      return [JSON.stringify([doc], null, 2)];
    }
    case 'new': {
      const after = { ...PRODUCT_DEFAULTS, ...command.changes };
      return adminWrite(store, async (sql) => {
        const id = await identity(sql);
        if (id.kind === 'global') throw new CliError('Global always exists: change it with "set".');
        if (await getDocument(sql, id))
          throw new CliError(`${identityString(id)} already exists: change it with "set".`);
        if (command.whatIf) return [`What if: would create ${identityString(id)} with ${JSON.stringify(after)}`];
        return [JSON.stringify(await putDocument(sql, id, after), null, 2)];
      });
    }
    case 'set':
      // Read and write in one transaction: a concurrent set cannot slip in between and be lost.
      return adminWrite(store, async (sql) => {
        const id = await identity(sql);
        const before = await getDocument(sql, id);
        if (!before)
          throw new CliError(`There is no configuration document ${identityString(id)}; create it with "new".`);
        const after = { ...configOf(before), ...command.changes };
        if (command.whatIf) return [`What if: would set ${identityString(id)}: ${describeChanges(before, after)}`];
        await putDocument(sql, id, after);
        return [`Set ${identityString(id)}: ${describeChanges(before, after)}`];
      });
    case 'remove':
      return adminWrite(store, async (sql) => {
        const id = await identity(sql);
        if (!(await getDocument(sql, id)))
          throw new CliError(`There is no configuration document ${identityString(id)} to remove.`);
        const what = id.kind === 'global' ? 'reset Global to product defaults' : `remove ${identityString(id)}`;
        if (command.whatIf) return [`What if: would ${what}`];
        await removeDocument(sql, id);
        return [id.kind === 'global' ? 'Reset Global to product defaults' : `Removed ${identityString(id)}`];
      });
    case 'report': {
      if (command.pool !== undefined && !(await findPool(sql, command.pool)))
        throw new CliError(`There is no pool named "${command.pool}".`);
      try {
        return await runReport(
          sql,
          command.report ?? { utc: false, form: command.json ? 'json' : 'text' },
          command.pool,
        );
      } catch (error) {
        if (error instanceof PeriodError) throw new CliUsageError(error.message);
        throw error;
      }
    }
    case 'purge': {
      const pool = command.pool === undefined ? undefined : (await findPool(sql, command.pool))?.fqdn;
      if (command.pool !== undefined && !pool) throw new CliError(`There is no pool named "${command.pool}".`);
      const days = command.olderThanDays ?? retentionDays;
      const scope = `${pool ? ` of ${pool}` : ''} ${days === 0 ? '(all of it)' : `received more than ${days} days ago`}`;
      if (command.whatIf)
        return [
          `What if: would delete ${await countOlderThan(store, days, Date.now(), pool)} telemetry events${scope}`,
        ];
      const deleted = await purgeInSlices(store, days, Date.now(), pool);
      return [`Deleted ${deleted} telemetry events${scope}; the freed space is back on the disk`];
    }
    case 'rotate-telemetry-secret': {
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
    default:
      throw new CliError(`${command.verb} is not a configuration verb.`);
  }
}
