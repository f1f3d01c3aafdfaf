/**
 * The audio/video mesh of each live meeting, beside (not inside) the live meeting state: who takes
 * part with which mode, and the relay of signalling between two participants of the same meeting.
 * Nothing here outlives the meeting: sessions are forgotten as soon as their participant is gone.
 */
import type { StreamEvent } from '../../shared/api-schema';
import {
  MESH_MEDIA_LIMIT,
  MESH_VIDEO_LIMIT,
  type MediaMode,
  SIGNAL_BURST,
  SIGNALS_PER_SECOND,
  type Signal,
} from '../../shared/media-schema';
import type { LiveMeetings, Participant } from './live';

interface MediaSession {
  meetingKey: string;
  mode: MediaMode;
  /** Token bucket of this sender's signals. */
  tokens: number;
  refilledAt: number;
}

export type RelayResult = { ok: true } | { ok: false; status: number; code: string; message: string };

export class MediaMesh {
  /** Keyed by participant id; pruned against the live roster whenever a meeting is looked at. */
  readonly #sessions = new Map<string, MediaSession>();

  constructor(
    private readonly live: LiveMeetings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The participants of this meeting who are in it (not the lobby, not gone), with their session. */
  #inMeeting(meetingKey: string): { participant: Participant; session?: MediaSession }[] {
    return this.live
      .roster(meetingKey)
      .filter((p) => p.state === 'in-meeting')
      .map((participant) => ({ participant, session: this.#sessions.get(participant.id) }));
  }

  /** Forgets the sessions of everyone no longer in their meeting (left, removed, meeting ended). */
  #prune(): void {
    const present = new Map<string, Set<string>>();
    for (const [id, session] of this.#sessions) {
      let ids = present.get(session.meetingKey);
      if (!ids) {
        ids = new Set(this.#inMeeting(session.meetingKey).map((o) => o.participant.id));
        present.set(session.meetingKey, ids);
      }
      if (!ids.has(id)) this.#sessions.delete(id);
    }
  }

  /**
   * Starts (or resumes, after a reconnect) a participant's media session. A newcomer gets video
   * while fewer than MESH_VIDEO_LIMIT people send it, audio while fewer than MESH_MEDIA_LIMIT take
   * part, else nothing (chat only). Returns the mode and the peers to call.
   */
  start(participant: Participant, wantsVideo: boolean): { mode: MediaMode; peers: string[] } {
    this.#prune();
    const others = this.#inMeeting(participant.meetingKey).filter((o) => o.participant !== participant);
    const inMesh = others.filter((o) => o.session && o.session.mode !== 'none');
    let session = this.#sessions.get(participant.id);
    if (!session) {
      const sendingVideo = inMesh.filter((o) => o.session?.mode === 'video').length;
      const mode: MediaMode =
        inMesh.length >= MESH_MEDIA_LIMIT
          ? 'none'
          : sendingVideo >= MESH_VIDEO_LIMIT || !wantsVideo
            ? 'audio'
            : 'video';
      session = { meetingKey: participant.meetingKey, mode, tokens: SIGNAL_BURST, refilledAt: this.now() };
      this.#sessions.set(participant.id, session);
    }
    const peers = session.mode === 'none' ? [] : inMesh.map((o) => o.participant.id);
    return { mode: session.mode, peers };
  }

  /** Relays one signal from a participant to another of the same meeting; both must be in the mesh. */
  relay(from: Participant, to: string, signal: Signal): RelayResult {
    const session = this.#sessions.get(from.id);
    if (from.state !== 'in-meeting' || !session || session.mode === 'none') {
      return { ok: false, status: 403, code: 'not-in-call', message: 'Start media in the meeting first.' };
    }
    if (!this.#take(session)) {
      return { ok: false, status: 429, code: 'signal-rate-limited', message: 'Too many signalling messages.' };
    }
    const target = this.#inMeeting(from.meetingKey).find(
      (o) => o.participant.id === to && o.participant !== from && o.session && o.session.mode !== 'none',
    );
    // The same answer for another meeting, the lobby and nobody: nothing to learn by probing.
    if (!target) return { ok: false, status: 404, code: 'peer-not-found', message: 'No such person in this call.' };
    const event: StreamEvent = { type: 'signal', from: from.id, signal };
    for (const sink of target.participant.sinks) sink.send(undefined, event);
    return { ok: true };
  }

  #take(session: MediaSession): boolean {
    const now = this.now();
    const refill = ((now - session.refilledAt) / 1000) * SIGNALS_PER_SECOND;
    session.tokens = Math.min(SIGNAL_BURST, session.tokens + refill);
    session.refilledAt = now;
    if (session.tokens < 1) return false;
    session.tokens -= 1;
    return true;
  }
}
