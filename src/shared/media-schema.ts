/**
 * Media signalling shared by the page and the pool web service: what one participant may send
 * another (offer, answer, ICE candidate, camera/microphone state) through the conference API, and
 * the limits that keep it small. The server relays these as they are; the page never renders them.
 */
import * as v from 'valibot';

/** One signalling request body, at most this many bytes (a Chrome audio+video SDP is ~6 KB). */
export const MAX_SIGNAL_BYTES = 16 * 1024;
/** Signals a participant may send in a burst, and how many come back per second after it. */
export const SIGNAL_BURST = 120;
export const SIGNALS_PER_SECOND = 20;
/** The mesh: up to this many people send video; newcomers past it send audio only. */
export const MESH_VIDEO_LIMIT = 6;
/** Up to this many people take part in audio/video at all; newcomers past it have chat only. */
export const MESH_MEDIA_LIMIT = 10;
/** TURN credentials made for a participant stay valid this long. */
export const TURN_CREDENTIAL_TTL_SECONDS = 3600;

const sdp = v.pipe(v.string(), v.maxLength(15_000));

export const signalSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('offer'), sdp }),
  v.strictObject({ kind: v.literal('answer'), sdp }),
  v.strictObject({
    kind: v.literal('candidate'),
    candidate: v.pipe(v.string(), v.maxLength(1024)),
    sdpMid: v.nullable(v.pipe(v.string(), v.maxLength(64))),
    sdpMLineIndex: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64))),
  }),
  /** What the sender is sending now, so the other side shows initials or a muted microphone. */
  v.strictObject({
    kind: v.literal('state'),
    camera: v.boolean(),
    mic: v.boolean(),
    /** The sender's stream was down and may have missed changes: the receiver answers with its own state. */
    resync: v.optional(v.boolean()),
  }),
]);

export type Signal = v.InferOutput<typeof signalSchema>;

export const signalRequest = v.strictObject({
  to: v.pipe(v.string(), v.maxLength(64)),
  signal: signalSchema,
});

/** What a participant asks for when starting media: whether it has a camera to send. */
export const mediaRequest = v.strictObject({ video: v.boolean() });

/** video: audio and video; audio: the mesh is full of video; none: the mesh is full (chat only). */
export type MediaMode = 'video' | 'audio' | 'none';

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** POST /participants/:id/media: the participant's place in the mesh. */
export interface MediaSessionResponse {
  mode: MediaMode;
  iceServers: IceServer[];
  /** Participants already in the mesh: the newcomer calls each of them. */
  peers: string[];
}
