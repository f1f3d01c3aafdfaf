/**
 * Meeting links, in every simple-URL form a pool publishes:
 * - `/<organizer>/<conferenceId>` (a dedicated meet host such as meet.contoso.com)
 * - `/<tenant>/<organizer>/<conferenceId>` (the tenant form)
 * - `/Meet/<organizer>/<conferenceId>` and `/<sipdomain>/Meet/<organizer>/<conferenceId>`
 *   (path-hosted simple URLs; `Meet` in any case).
 * Parsing is strict: anything that is not clearly a meeting link is refused with a reason, never
 * guessed at. Segments are matched raw: an encoded byte (%2F, %00, %3C) can never form a valid name.
 */

export interface MeetingRef {
  tenant?: string;
  /** The organizer's SIP domain when the link names it (`/<sipdomain>/Meet/...`, a dotted tenant). */
  domain?: string;
  organizer: string;
  conferenceId: string;
}

export type MeetingPathResult = { ok: true; meeting: MeetingRef } | { ok: false; code: 'invalid-link' };

const ORGANIZER = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/i;
const CONFERENCE_ID = /^[a-z0-9]{1,32}$/i;
const TENANT = /^[a-z0-9](?:[a-z0-9.-]{0,252}[a-z0-9])?$/i;
// A SIP domain: dotted labels, each 1-63 characters, no leading or trailing hyphen.
const SIP_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const MEET = /^meet$/i;
const MAX_PATH_LENGTH = 512;

function meetingFrom(organizer: string, conferenceId: string, extra: Partial<MeetingRef> = {}): MeetingRef | undefined {
  return ORGANIZER.test(organizer) && CONFERENCE_ID.test(conferenceId)
    ? { ...extra, organizer, conferenceId }
    : undefined;
}

export function parseMeetingPath(pathname: string): MeetingPathResult {
  const invalid = { ok: false, code: 'invalid-link' } as const;
  if (pathname.length > MAX_PATH_LENGTH || !pathname.startsWith('/')) return invalid;
  // A single trailing slash is harmless; any other empty segment is not.
  const trimmed = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const segments = trimmed.slice(1).split('/');
  let meeting: MeetingRef | undefined;
  if (segments.length === 2) {
    const [organizer, conferenceId] = segments as [string, string];
    // `Meet` is reserved for path-hosted links: `/Meet/alice` is one cut short, not a meeting of "Meet".
    if (!MEET.test(organizer)) meeting = meetingFrom(organizer, conferenceId);
  } else if (segments.length === 3) {
    const [first, organizer, conferenceId] = segments as [string, string, string];
    if (MEET.test(first)) meeting = meetingFrom(organizer, conferenceId);
    else if (TENANT.test(first)) {
      const domain = SIP_DOMAIN.test(first) ? { domain: first.toLowerCase() } : {};
      meeting = meetingFrom(organizer, conferenceId, { tenant: first, ...domain });
    }
  } else if (segments.length === 4) {
    const [domain, meet, organizer, conferenceId] = segments as [string, string, string, string];
    if (SIP_DOMAIN.test(domain) && MEET.test(meet)) {
      meeting = meetingFrom(organizer, conferenceId, { domain: domain.toLowerCase() });
    }
  }
  return meeting ? { ok: true, meeting } : invalid;
}

/** The key a meeting is stored under: organizer and conference id, case-insensitive. */
export function meetingKey(ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>): string {
  return `${ref.organizer.toLowerCase()}/${ref.conferenceId.toUpperCase()}`;
}

/** The focus URI of a conference: `sip:<organizer>@<domain>;gruu;opaque=app:conf:focus:id:<id>`. */
export function conferenceUriOf(organizer: string, domain: string, conferenceId: string): string {
  return `sip:${organizer}@${domain};gruu;opaque=app:conf:focus:id:${conferenceId}`;
}

/**
 * A link that names the organizer's domain must name the right one: `/fabrikam.com/alice/...`
 * does not lead to alice@contoso.com's meeting.
 */
export function linkMatchesOrganizer(ref: MeetingRef, organizerUri: string): boolean {
  if (!ref.domain) return true;
  return organizerUri.toLowerCase().endsWith(`@${ref.domain}`);
}

/** The page listing every dial-in number of the pool. */
export const DIALIN_PAGE_PATH = /^\/dialin\/?$/i;
