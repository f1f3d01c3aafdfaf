/**
 * Making and removing meetings, for the admin CLI (`new-meeting`, `remove-meeting`) and the
 * scheduling API alike: the organizer's SIP address is checked, the pool is the one hosting the
 * organizer's SIP domain unless named, and the conference ID, phone conference ID and organizer
 * key are random. Callers run it inside one write transaction (adminWrite), so the checks and the
 * insert see the same store.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { meetingKey } from '../../shared/meeting-url';
import type { Sql } from '../sql/sql';
import { setMeetingDialIn } from '../store/dialin';
import { addMeeting, conferenceIdTaken, findMeeting, type Meeting, phoneConferenceIdTaken } from '../store/meetings';
import { poolForSipDomain } from '../store/sites-pools';
import { findPool } from './topology';

/** A request that cannot be carried out; `code` is the API's error code. */
export class ScheduleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface NewMeeting {
  organizer: string;
  subject: string;
  lobby?: boolean;
  /** The pool's fqdn; defaults to the pool hosting the organizer's SIP domain. */
  pool?: string;
}

export interface ScheduledMeeting {
  meeting: Meeting;
  phoneConferenceId: string;
}

const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
export const MAX_SUBJECT_LENGTH = 200;
// Conference IDs as the pool makes them: no 0/O or 1/I to misread on a phone.
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `alice@contoso.com` or `sip:alice@contoso.com` → its parts, or undefined. */
export function parseSipAddress(raw: string): { local: string; domain: string } | undefined {
  const match = /^(?:sip:)?([^@\s]+)@([^@\s]+)$/i.exec(raw.trim());
  if (!match || !LOCAL_PART.test(match[1] as string) || !DOMAIN.test(match[2] as string)) return undefined;
  return { local: (match[1] as string).toLowerCase(), domain: (match[2] as string).toLowerCase() };
}

export function subjectProblem(subject: string): string | undefined {
  const trimmed = subject.trim();
  if (trimmed === '') return 'The subject is empty.';
  if (trimmed.length > MAX_SUBJECT_LENGTH) return `The subject is longer than ${MAX_SUBJECT_LENGTH} characters.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'The subject contains control characters.';
  return undefined;
}

const randomId = (length: number, alphabet: string) =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

export async function scheduleMeeting(sql: Sql, request: NewMeeting): Promise<ScheduledMeeting> {
  const sip = parseSipAddress(request.organizer);
  if (!sip)
    throw new ScheduleError(
      'organizer-invalid',
      `The organizer must be a SIP address such as alice@contoso.com, not "${request.organizer}".`,
    );
  const problem = subjectProblem(request.subject);
  if (problem) throw new ScheduleError('subject-invalid', problem);
  const hosting = await poolForSipDomain(sql, sip.domain);
  let pool = hosting?.fqdn;
  if (request.pool !== undefined) {
    const named = await findPool(sql, request.pool);
    if (!named) throw new ScheduleError('pool-not-found', `There is no pool named "${request.pool}".`);
    if (hosting && hosting.fqdn !== named.fqdn)
      throw new ScheduleError(
        'organizer-not-on-pool',
        `Organizers of ${sip.domain} are hosted on ${hosting.fqdn}, not ${named.fqdn}.`,
      );
    pool = named.fqdn;
  }
  if (!pool)
    throw new ScheduleError(
      'pool-required',
      `No pool hosts the SIP domain ${sip.domain}: name one with -Pool, or add the domain with set-pool -SipDomain.`,
    );
  let conferenceId: string;
  do conferenceId = randomId(8, ID_ALPHABET);
  while (await conferenceIdTaken(sql, sip.local, conferenceId));
  let phoneConferenceId: string;
  do phoneConferenceId = randomId(7, '0123456789');
  while (phoneConferenceId.startsWith('0') || (await phoneConferenceIdTaken(sql, pool, phoneConferenceId)));
  await addMeeting(sql, {
    organizer: sip.local,
    conferenceId,
    pool,
    organizerUri: `${sip.local}@${sip.domain}`,
    subject: request.subject.trim(),
    lobby: request.lobby === true,
    organizerKey: randomBytes(16).toString('base64url'),
  });
  const key = meetingKey({ organizer: sip.local, conferenceId });
  await setMeetingDialIn(sql, key, phoneConferenceId);
  return { meeting: (await findMeeting(sql, { organizer: sip.local, conferenceId })) as Meeting, phoneConferenceId };
}

/** `alice/7Q3DSSYV` or `alice@contoso.com/7Q3DSSYV` → the stored meeting, or undefined. */
export async function findMeetingByIdentity(sql: Sql, identity: string): Promise<Meeting | undefined> {
  const match = /^(?:sip:)?([^/@\s]+)(?:@([^/\s]+))?\/([a-z0-9]{1,32})$/i.exec(identity.trim());
  if (!match) return undefined;
  const meeting = await findMeeting(sql, { organizer: match[1] as string, conferenceId: match[3] as string });
  if (!meeting) return undefined;
  if (match[2] && !meeting.organizerUri.toLowerCase().endsWith(`@${match[2].toLowerCase()}`)) return undefined;
  return meeting;
}
