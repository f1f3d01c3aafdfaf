/** What each admin CLI verb does to the store; returns the lines to print or throws. */
import { PARAMETER_NAMES, PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import { openDatabase } from '../db';
import { seedDemoIfEmpty } from '../seed';
import { ensureReserve } from '../storage/disk';
import { adminWrite } from '../store/admin-write';
import {
  getDocument,
  type Identity,
  identityString,
  listDocuments,
  parseIdentity,
  putDocument,
  removeDocument,
} from '../store/config-store';
import { listMeetings } from '../store/meetings';
import { purgeInSlices } from '../telemetry/purge';
import { formatReport, telemetryReport } from '../telemetry/report';
import { countOlderThan } from '../telemetry/retention';
import { findPool, hostsOf } from '../topology';
import { type Command, USAGE } from './args';

/** A command that is well formed but cannot be carried out (the store is left as it was). */
export class CliError extends Error {}

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

export function runCommand(command: Command, dataDir: string, port: number, retentionDays = 30): string[] {
  if (command.verb === 'help') return [USAGE];
  const db = openDatabase(dataDir);
  ensureReserve(dataDir);
  try {
    seedDemoIfEmpty(db);
    const identity = (): Identity =>
      command.identity === undefined ? { kind: 'global' } : parseIdentity(db, command.identity);
    switch (command.verb) {
      case 'get': {
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
      case 'report': {
        if (command.pool !== undefined && !findPool(db, command.pool))
          throw new CliError(`There is no pool named "${command.pool}".`);
        const pools = telemetryReport(db, command.pool);
        if (command.json) return [JSON.stringify({ pools }, null, 2)];
        return formatReport(pools);
      }
      case 'purge': {
        const pool = command.pool === undefined ? undefined : findPool(db, command.pool)?.fqdn;
        if (command.pool !== undefined && !pool) throw new CliError(`There is no pool named "${command.pool}".`);
        const days = command.olderThanDays ?? retentionDays;
        const scope = `${pool ? ` of ${pool}` : ''} ${days === 0 ? '(all of it)' : `received more than ${days} days ago`}`;
        if (command.whatIf)
          return [`What if: would delete ${countOlderThan(db, days, Date.now(), pool)} telemetry events${scope}`];
        const deleted = purgeInSlices(db, days, Date.now(), pool);
        return [`Deleted ${deleted} telemetry events${scope}; the freed space is back on the disk`];
      }
      case 'meetings': {
        const meetings = listMeetings(db).map((m) => {
          const link = `http://${hostsOf(db, m.pool)[0] ?? 'localhost'}:${port}/${m.organizer}/${m.conferenceId}`;
          return {
            pool: m.pool,
            subject: m.subject,
            lobby: m.lobby,
            guestLink: link,
            organizerLink: `${link}#organizerKey=${m.organizerKey}`,
          };
        });
        if (command.json) return [JSON.stringify({ meetings }, null, 2)];
        return meetings.map(
          (m) =>
            `${m.pool}  ${m.subject}${m.lobby ? ' (lobby)' : ''}\n  guest:     ${m.guestLink}\n  organizer: ${m.organizerLink}`,
        );
      }
    }
  } finally {
    db.close();
  }
}
