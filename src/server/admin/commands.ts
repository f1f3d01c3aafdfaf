/**
 * What each admin CLI verb does to the store; returns the lines to print (stdout) and the notices
 * for stderr (what each pool now gets after a configuration write), or throws. The store must
 * exist (a mistyped DATA_DIR is refused, not turned into a new store); only `init` makes one, empty.
 * No verb writes demo data.
 */
import os from 'node:os';
import { ensureReserve } from '../disk/disk';
import { rotateSecret } from '../secrets/secret';
import { engineOf } from '../sql/engine';
import type { Sql } from '../sql/sql';
import { openDatabase, storeExists } from '../sql/sqlite-db';
import { migrateStore, openStore, redactUrl, type Store, type StoreLocation, sqliteStore } from '../sql/store';
import { demoPort, isProductionStore, markStoreKind, storeKindRecorded } from '../store/meta';
import { purgeInSlices } from '../telemetry/purge';
import { runReport } from '../telemetry/report';
import { PeriodError } from '../telemetry/report/period';
import { countOlderThan } from '../telemetry/retention';
import type { LinkStyle } from '../topology/links';
import { findPool } from '../topology/topology';
import { apiKeys, newApiKey, removeApiKey } from './api-key-commands';
import { CliUsageError, type Command } from './args';
import { whatIsCollected } from './collected-commands';
import { getConfig, newConfig, removeConfig, setConfig } from './config-commands';
import { CliError, type VerbContext } from './context';
import { dialInNumbers, newDialInNumber, removeDialInNumber } from './dialin-commands';
import { helpText } from './help';
import { showConfigHistory } from './history-commands';
import { meetings, newMeeting, removeMeeting } from './meeting-commands';
import { OPS_HANDLERS } from './ops-commands';
import { isOpsVerb } from './ops-verbs';
import { newPool, newSite, removePool, removeSite, setPool, topology } from './topology-commands';
import type { Verb } from './verbs';

export { CliError } from './context';

const HANDLERS: Partial<Record<Verb, (ctx: VerbContext) => Promise<string[]>>> = {
  get: getConfig,
  new: newConfig,
  set: setConfig,
  remove: removeConfig,
  'config-history': showConfigHistory,
  'what-is-collected': whatIsCollected,
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

export interface RunOptions {
  /** The PORT the admin was given, if any; demo links otherwise use the port the demo server last listened on. */
  port?: number;
  retentionDays?: number;
  /** The time of the command (ms; default: now). */
  now?: number;
  /** Who runs it, for config-history (default: the OS user). */
  actor?: string;
}

export interface CommandOutput {
  /** The verb's output (stdout: JSON stays clean for scripts). */
  stdout: string[];
  /** What the admin must know besides (stderr): what each pool now gets after a configuration write. */
  notices: string[];
}

/** The OS user running the CLI, as config-history names the actor. */
export function osActor(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers): the number is still who it was.
    return process.env.USER || `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Runs one verb on the store at `location` (DATA_DIR, or DATABASE_URL when set). */
export async function runCommandOutput(
  command: Command,
  location: StoreLocation,
  options: RunOptions = {},
): Promise<CommandOutput> {
  if (command.verb === 'help') return { stdout: [helpText(command.topic)], notices: [] };
  if (command.verb === 'init') return { stdout: await init(location), notices: [] };
  if (isOpsVerb(command.verb)) return { stdout: await OPS_HANDLERS[command.verb](command, location), notices: [] };
  const store = await openMadeStore(location);
  try {
    const ctx: VerbContext = {
      store,
      sql: store.sql,
      command,
      links: await linkStyleOf(store.sql, options.port),
      retentionDays: options.retentionDays ?? 30,
      now: options.now ?? Date.now(),
      actor: options.actor ?? osActor(),
      notices: [],
    };
    const handler = HANDLERS[command.verb];
    const stdout = handler ? await handler(ctx) : await configAndTelemetryVerb(ctx);
    return { stdout, notices: ctx.notices };
  } finally {
    await store.close();
  }
}

/** The same, for callers that want the verb's output only (its stdout lines). */
export async function runCommand(
  command: Command,
  location: StoreLocation,
  port?: number,
  retentionDays = 30,
  options: Omit<RunOptions, 'port' | 'retentionDays'> = {},
): Promise<string[]> {
  return (await runCommandOutput(command, location, { ...options, port, retentionDays })).stdout;
}

async function configAndTelemetryVerb(ctx: VerbContext): Promise<string[]> {
  const { store, sql, command, retentionDays } = ctx;
  switch (command.verb) {
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
      const { where, rotationTakesEffect } = engineOf(store).secret;
      if (command.whatIf) return [`What if: would replace the telemetry secret in ${where}`];
      await rotateSecret(store);
      return [
        `Replaced the telemetry secret in ${where}. ${rotationTakesEffect}; UserIDs stored from now on cannot be linked to those stored before.`,
      ];
    }
    default:
      throw new CliError(`${command.verb} is not a configuration verb.`);
  }
}
