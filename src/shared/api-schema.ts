/** Conference API bodies and rules shared by the meetings shell and the pool web service. */
import * as v from 'valibot';
import { MAX_DISPLAY_NAME_LENGTH } from './constants';

// Control characters (C0, DEL, C1) and bidi overrides have no place in a name shown to others.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export type NameProblem = 'name-required' | 'name-too-long' | 'name-invalid-characters';

/** Checks a display name as the person typed it; returns the trimmed name or the problem. */
export function checkDisplayName(raw: string): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, problem: 'name-required' };
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH) return { ok: false, problem: 'name-too-long' };
  if (FORBIDDEN_IN_NAME.test(name)) return { ok: false, problem: 'name-invalid-characters' };
  return { ok: true, name };
}

export const joinRequest = v.strictObject({
  displayName: v.pipe(v.string(), v.maxLength(1024)),
});

export type JoinRequest = v.InferOutput<typeof joinRequest>;

/** What the meeting lookup answers: enough to show the meeting, nothing secret. */
export interface MeetingInfo {
  organizer: string;
  conferenceId: string;
  subject: string;
  organizerUri: string;
  federationDomain: string;
  conferenceUri: string;
  lobby: boolean;
  /** Join by phone; absent when the meeting has no dial-in conference ID. */
  dialIn?: DialIn;
}

/** One dial-in access number of a pool. */
export interface DialInNumber {
  /** ISO 3166-1 alpha-2 region code; the page names the region in the reader's language. */
  region: string;
  /** E.164, for tel: links. */
  number: string;
  /** As people write it in that region. */
  display: string;
  tollFree: boolean;
}

export interface DialIn {
  conferenceId: string;
  numbers: DialInNumber[];
}

/** GET /api/v1/dialin: every dial-in number of the pool, for the /dialin page. */
export interface DialInDirectory {
  numbers: DialInNumber[];
}

export interface JoinResponse {
  participantId: string;
  token: string;
  state: 'lobby' | 'in-meeting';
}

/** Every error the API answers with carries a machine-readable code. */
export interface ApiError {
  code: string;
  message: string;
}
