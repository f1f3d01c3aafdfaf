/**
 * One peer connection of the mesh: to one other participant. The initiator (the newcomer) adds an
 * audio and a video transceiver; the other side answers on the ones the offer brings. Tracks are
 * swapped with replaceTrack (no renegotiation), so "mute" means no audio packets leave at all.
 * A connection of someone with audio only carries no video either way (its video transceiver is
 * inactive on their side, so the answer or offer says so): past the mesh's video places, each video
 * sender's uploads do not grow with the people who only listen.
 */
import type { IceServer, Signal } from '../../shared/media-schema';
import { IceRestarts } from './ice-restarts';
import { Negotiation } from './negotiation';
import type { LocalMedia, TileView } from './types';

export interface PeerEvents {
  send(signal: Signal): void;
  changed(): void;
  /** ICE failed and the quick restarts did not bring it back (once per outage; the restarts go on). */
  stillFailing(): void;
}

export interface PeerOptions {
  /** The other participant. */
  id: string;
  /** Which side gives way in an offer collision (agreed without a message: the lower id). */
  polite: boolean;
  iceServers: IceServer[];
  local: LocalMedia;
  /** This side calls (the newcomer): it adds the transceivers and makes the first offer. */
  initiator: boolean;
  /** This side's call has video (mode `video`); without it the connection carries audio only. */
  video: boolean;
}

export class Peer {
  readonly pc: RTCPeerConnection;
  readonly negotiation: Negotiation;
  readonly remoteStream = new MediaStream();
  remote: { camera?: boolean; mic?: boolean } = {};
  speaking = false;
  readonly #restarts: IceRestarts;
  readonly id: string;
  readonly #local: LocalMedia;
  readonly #video: boolean;

  constructor(
    { id, polite, iceServers, local, initiator, video }: PeerOptions,
    private readonly on: PeerEvents,
  ) {
    this.id = id;
    this.#local = local;
    this.#video = video;
    this.pc = new RTCPeerConnection({ iceServers });
    const pc = this.pc;
    this.#restarts = new IceRestarts(
      {
        get connectionState() {
          return pc.connectionState;
        },
        remoteUfrag: () => /^a=ice-ufrag:(\S+)/m.exec(pc.remoteDescription?.sdp ?? '')?.[1],
        restartIce: () => pc.restartIce(),
      },
      polite,
      { stillFailing: () => on.stillFailing() },
    );
    this.negotiation = new Negotiation(this.pc, polite, {
      send: (message) =>
        on.send(
          message.type === 'candidate'
            ? {
                kind: 'candidate',
                candidate: message.candidate,
                sdpMid: message.sdpMid,
                sdpMLineIndex: message.sdpMLineIndex,
              }
            : { kind: message.type, sdp: message.sdp },
        ),
      failed: () => this.#restarts.failed(),
      beforeAnswer: () => this.syncSenders(),
    });
    this.pc.onnegotiationneeded = () => void this.negotiation.negotiationNeeded();
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) {
        on.send({
          kind: 'candidate',
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
        });
      }
    };
    this.pc.ontrack = ({ track }) => {
      for (const old of this.remoteStream.getTracks()) if (old.kind === track.kind) this.remoteStream.removeTrack(old);
      this.remoteStream.addTrack(track);
      track.onmute = track.onunmute = () => on.changed();
      on.changed();
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      if (state === 'connected') {
        this.#restarts.connected();
        this.sendState();
      } else if (state === 'failed') this.#restarts.failed();
      on.changed();
    };
    if (initiator) {
      this.pc.addTransceiver('audio', { direction: 'sendrecv' });
      this.pc.addTransceiver('video', { direction: video ? 'sendrecv' : 'inactive' });
      void this.syncSenders();
    }
  }

  /** Puts the current local tracks (or none, when off) on every transceiver. */
  async syncSenders(): Promise<void> {
    const local = this.#local;
    const audio = local.micOn ? (local.stream.getAudioTracks()[0] ?? null) : null;
    const video = this.#video && local.cameraOn ? (local.stream.getVideoTracks()[0] ?? null) : null;
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (transceiver.currentDirection === 'stopped') continue;
      const direction = kind === 'video' && !this.#video ? 'inactive' : 'sendrecv';
      if (transceiver.direction !== direction) transceiver.direction = direction;
      const track = kind === 'audio' ? audio : video;
      if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track).catch(() => {});
    }
  }

  sendState(resync = false): void {
    const { cameraOn, micOn, stream } = this.#local;
    this.on.send({
      kind: 'state',
      camera: this.#video && cameraOn && stream.getVideoTracks().length > 0,
      mic: micOn && stream.getAudioTracks().length > 0,
      ...(resync ? { resync } : {}),
    });
  }

  receive(signal: Signal): void {
    switch (signal.kind) {
      case 'offer':
      case 'answer':
        void this.negotiation.description({ type: signal.kind, sdp: signal.sdp });
        return;
      case 'candidate':
        void this.negotiation.candidate(signal);
        return;
      case 'state':
        this.remote = { camera: signal.camera, mic: signal.mic };
        if (signal.resync) this.sendState();
        this.on.changed();
        return;
    }
  }

  /**
   * The event stream came back: signals sent to us meanwhile are lost, so a connection that did not
   * survive the outage restarts ICE, and the other side is asked for its current state.
   */
  resume(): void {
    this.#restarts.resumed();
    this.sendState(true);
  }

  view(): TileView {
    const video = this.remoteStream.getVideoTracks()[0];
    const state = this.pc.connectionState;
    return {
      participantId: this.id,
      stream: this.remoteStream,
      // Audio only: nothing comes in on the video transceiver, whatever the other side has on.
      camera: this.#video && (this.remote.camera ?? (!!video && !video.muted)),
      mic: this.remote.mic ?? true,
      speaking: this.speaking,
      reconnecting: state === 'disconnected' || state === 'failed',
    };
  }

  close(): void {
    this.#restarts.close();
    this.negotiation.close();
    this.pc.close();
  }
}
