/**
 * Meeting links: `/<organizer>/<conferenceId>` and the tenant form
 * `/<tenant>/<organizer>/<conferenceId>`. Parsing is strict: anything that is not clearly a
 * meeting link is refused with a reason, never guessed at.
 */

export interface MeetingRef {
  tenant?: string;
  organizer: string;
  conferenceId: string;
}

export type MeetingPathResult = { ok: true; meeting: MeetingRef } | { ok: false; code: 'invalid-link' };

const ORGANIZER = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/i;
const CONFERENCE_ID = /^[a-z0-9]{1,32}$/i;
const TENANT = /^[a-z0-9](?:[a-z0-9.-]{0,252}[a-z0-9])?$/i;
const MAX_PATH_LENGTH = 512;

export function parseMeetingPath(pathname: string): MeetingPathResult {
  const invalid = { ok: false, code: 'invalid-link' } as const;
  if (pathname.length > MAX_PATH_LENGTH || !pathname.startsWith('/')) return invalid;
  // A single trailing slash is harmless; any other empty segment is not.
  const trimmed = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const segments = trimmed.slice(1).split('/');
  // Segments are matched raw: an encoded byte (%2F, %00, %3C) can never form a valid name.
  if (segments.length === 2) {
    const [organizer, conferenceId] = segments as [string, string];
    if (ORGANIZER.test(organizer) && CONFERENCE_ID.test(conferenceId)) {
      return { ok: true, meeting: { organizer, conferenceId } };
    }
  } else if (segments.length === 3) {
    const [tenant, organizer, conferenceId] = segments as [string, string, string];
    if (TENANT.test(tenant) && ORGANIZER.test(organizer) && CONFERENCE_ID.test(conferenceId)) {
      return { ok: true, meeting: { tenant, organizer, conferenceId } };
    }
  }
  return invalid;
}

/** The key a meeting is stored under: organizer and conference id, case-insensitive. */
export function meetingKey(ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>): string {
  return `${ref.organizer.toLowerCase()}/${ref.conferenceId.toUpperCase()}`;
}
