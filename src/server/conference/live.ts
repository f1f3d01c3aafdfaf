/**
 * Live state of meetings, in memory: who is in, who waits in the lobby. Each participant holds an
 * unguessable token; every call on its behalf must present it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export type ParticipantState = 'lobby' | 'in-meeting';

export interface Participant {
  id: string;
  token: string;
  displayName: string;
  state: ParticipantState;
  meetingKey: string;
  joinedAt: number;
}

export const MAX_PARTICIPANTS_PER_MEETING = 250;

export class LiveMeetings {
  readonly #participants = new Map<string, Participant>();

  join(meetingKey: string, displayName: string, state: ParticipantState): Participant | undefined {
    if (this.countIn(meetingKey) >= MAX_PARTICIPANTS_PER_MEETING) return undefined;
    const participant: Participant = {
      id: randomBytes(9).toString('base64url'),
      token: randomBytes(24).toString('base64url'),
      displayName,
      state,
      meetingKey,
      joinedAt: Date.now(),
    };
    this.#participants.set(participant.id, participant);
    return participant;
  }

  /** The participant if the token is theirs; undefined otherwise (no hint which part was wrong). */
  authenticate(id: string, token: string): Participant | undefined {
    const participant = this.#participants.get(id);
    if (!participant) return undefined;
    const expected = Buffer.from(participant.token);
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given) ? participant : undefined;
  }

  leave(id: string): void {
    this.#participants.delete(id);
  }

  roster(meetingKey: string): Participant[] {
    return [...this.#participants.values()].filter((p) => p.meetingKey === meetingKey);
  }

  private countIn(meetingKey: string): number {
    return this.roster(meetingKey).length;
  }
}
