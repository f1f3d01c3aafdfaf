/**
 * A store with a topology, made the way an operator makes one: the admin CLI's verbs, in process
 * (`runCommand`), in this order: init, the sites, the pools, the meetings, the dial-in numbers, the
 * API keys. Integration tests only (it writes a real store).
 */
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import type { StoreLocation } from '../../src/server/sql/store';

export interface PoolSpec {
  identity: string;
  site: string;
  /** One host, or several separated by commas (as -WebHost takes them). */
  webHost: string;
  sipDomain?: string;
}

export interface TopologySpec {
  /** Sites made before the pools; by default the pools' sites, in order of first use. */
  sites?: string[];
  pools: PoolSpec[];
  meetings?: { organizer: string; subject: string; lobby?: boolean }[];
  dialInNumbers?: { pool: string; region: string; number: string }[];
  apiKeys?: { pool: string; name: string }[];
}

export interface SeededMeeting {
  guestLink: string;
  organizerLink: string;
  conferenceId: string;
  phoneConferenceId: string;
}

export interface Topology {
  /** new-meeting's JSON output, one per `meetings` entry. */
  meetings: SeededMeeting[];
  /** The secret of each API key, one per `apiKeys` entry (shown once by new-api-key). */
  apiKeys: string[];
}

export async function seedTopology(location: StoreLocation, spec: TopologySpec): Promise<Topology> {
  const admin = (...argv: string[]) => runCommand(parseCommandLine(argv), location);
  const json = async (...argv: string[]) => JSON.parse((await admin(...argv, '--json'))[0] as string);
  await admin('init');
  for (const site of spec.sites ?? [...new Set(spec.pools.map((pool) => pool.site))]) {
    await admin('new-site', '-Identity', site);
  }
  for (const pool of spec.pools) {
    const sip = pool.sipDomain === undefined ? [] : ['-SipDomain', pool.sipDomain];
    await admin('new-pool', '-Identity', pool.identity, '-Site', pool.site, '-WebHost', pool.webHost, ...sip);
  }
  const meetings: SeededMeeting[] = [];
  for (const meeting of spec.meetings ?? []) {
    const lobby = meeting.lobby ? ['-Lobby'] : [];
    meetings.push(await json('new-meeting', '-Organizer', meeting.organizer, '-Subject', meeting.subject, ...lobby));
  }
  for (const dialIn of spec.dialInNumbers ?? []) {
    await admin('new-dialin-number', '-Pool', dialIn.pool, '-Region', dialIn.region, '-Number', dialIn.number);
  }
  const apiKeys: string[] = [];
  for (const key of spec.apiKeys ?? []) {
    apiKeys.push((await json('new-api-key', '-Pool', key.pool, '-Name', key.name)).key);
  }
  return { meetings, apiKeys };
}
