/** The meeting session: prejoin, joining, lobby, in the meeting, left. Counts what telemetry needs. */
import { checkDisplayName } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import { joinMeeting, leaveMeeting } from '../conference-api';
import { createStore } from '../store';
import { applyUpdateAtBreak, holdUpdatesDuringMeeting } from '../sw-bridge';
import { track } from '../track';

export type Phase = 'prejoin' | 'joining' | 'lobby' | 'in-meeting' | 'left';

export interface SessionState {
  phase: Phase;
  /** A `join.*` message key suffix explaining why the last join failed. */
  problem?: string;
  participantId?: string;
  token?: string;
  enteredAt?: number;
}

export const sessionStore = createStore<SessionState>({ phase: 'prejoin' });

function enterMeeting(): void {
  sessionStore.update({ phase: 'in-meeting', enteredAt: Date.now() });
  track.joinSuccess();
}

export async function submitJoin(ref: MeetingRef, rawName: string): Promise<void> {
  if (sessionStore.get().phase === 'joining') return;
  holdUpdatesDuringMeeting();
  track.joinAttempt();
  const name = checkDisplayName(rawName);
  if (!name.ok) {
    sessionStore.update({ problem: name.problem });
    return;
  }
  sessionStore.update({ phase: 'joining', problem: undefined });
  const result = await joinMeeting(ref, name.name);
  if (!result.ok) {
    sessionStore.update({ phase: 'prejoin', problem: result.code });
    track.error({
      code: `join:${result.code}`,
      message: `Join failed (${result.status})`,
      conversationState: 'joining',
      direction: 'outgoing',
    });
    return;
  }
  sessionStore.update({ participantId: result.value.participantId, token: result.value.token });
  if (result.value.state === 'in-meeting') enterMeeting();
  else sessionStore.update({ phase: 'lobby' });
}

export async function leave(): Promise<void> {
  const { participantId, token, enteredAt } = sessionStore.get();
  if (enteredAt !== undefined) track.meetingMinutes((Date.now() - enteredAt) / 60_000);
  sessionStore.set({ phase: 'left' });
  void applyUpdateAtBreak(); // after leaving: a natural break for a waiting service-worker update
  if (participantId && token) await leaveMeeting(participantId, token);
}

export function rejoin(): void {
  sessionStore.set({ phase: 'prejoin' });
}
