/**
 * The audio/video mesh of each live meeting: which mode a newcomer gets, and the relay of
 * signalling between two participants of the same meeting. The policy is here; the state (each
 * participant's mode) and the delivery (to whatever node holds the target's stream) are the live
 * meetings' (Live.startMedia, mediaPeers, deliver), so an SFU could replace this file alone.
 * Nothing outlives the meeting: a mode is forgotten as soon as its participant is gone.
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
import type { Live, MediaPeer, Participant } from './live';

export type RelayResult = { ok: true } | { ok: false; status: number; code: string; message: string };

/** Token bucket of one sender's signals. */
interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** A newcomer's mode: video while fewer than MESH_VIDEO_LIMIT send it, audio while fewer than MESH_MEDIA_LIMIT take part. */
export function meshModeFor(others: MediaPeer[], wantsVideo: boolean): MediaMode {
  const inMesh = others.filter((o) => o.mode && o.mode !== 'none');
  const sendingVideo = inMesh.filter((o) => o.mode === 'video').length;
  if (inMesh.length >= MESH_MEDIA_LIMIT) return 'none';
  return sendingVideo >= MESH_VIDEO_LIMIT || !wantsVideo ? 'audio' : 'video';
}

export class MediaMesh {
  /**
   * Per-sender buckets, on this node (a sender spreading signals over N nodes gets up to N times
   * the rate; each node still bounds it). Forgotten after a minute unused.
   */
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly live: Live,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts (or resumes, after a reconnect) a participant's media session. Returns the mode and the
   * peers to call. The modes live with the meeting (live.startMedia), so every node sees them.
   */
  async start(participant: Participant, wantsVideo: boolean): Promise<{ mode: MediaMode; peers: string[] }> {
    const { mode, others } = await this.live.startMedia(participant, (others) => meshModeFor(others, wantsVideo));
    const peers = mode === 'none' ? [] : others.filter((o) => o.mode && o.mode !== 'none').map((o) => o.id);
    return { mode, peers };
  }

  /** Relays one signal from a participant to another of the same meeting; both must be in the mesh. */
  async relay(from: Participant, to: string, signal: Signal): Promise<RelayResult> {
    const peers = await this.live.mediaPeers(from.meetingKey);
    const me = peers.find((p) => p.id === from.id);
    if (from.state !== 'in-meeting' || !me?.mode || me.mode === 'none') {
      return { ok: false, status: 403, code: 'not-in-call', message: 'Start media in the meeting first.' };
    }
    if (!this.#take(from.id)) {
      return { ok: false, status: 429, code: 'signal-rate-limited', message: 'Too many signalling messages.' };
    }
    const target = peers.find((p) => p.id === to && p.id !== from.id && p.mode && p.mode !== 'none');
    // The same answer for another meeting, the lobby and nobody: nothing to learn by probing.
    if (!target) return { ok: false, status: 404, code: 'peer-not-found', message: 'No such person in this call.' };
    const event: StreamEvent = { type: 'signal', from: from.id, signal };
    await this.live.deliver(target.id, event);
    return { ok: true };
  }

  #take(senderId: string): boolean {
    const now = this.now();
    let bucket = this.#buckets.get(senderId);
    if (!bucket) {
      bucket = { tokens: SIGNAL_BURST, refilledAt: now };
      this.#buckets.set(senderId, bucket);
      for (const [id, old] of this.#buckets) if (old.refilledAt < now - 60_000) this.#buckets.delete(id);
    }
    const refill = ((now - bucket.refilledAt) / 1000) * SIGNALS_PER_SECOND;
    bucket.tokens = Math.min(SIGNAL_BURST, bucket.tokens + refill);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
