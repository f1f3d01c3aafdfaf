/**
 * The signalling state machine of one peer connection: "perfect negotiation" (W3C WebRTC spec,
 * §10.7), so both sides may renegotiate at any time and an offer collision (glare) resolves itself.
 * The polite side rolls its own offer back and takes the other's; the impolite side ignores the
 * other's offer (and its candidates) and waits for the answer to its own. Which side is polite is
 * agreed without a message: the lower participant id.
 *
 * Written against `PeerPort`, the few members of RTCPeerConnection it needs, so it is tested in
 * Node with a model of the signalling states (test/unit/negotiation.test.ts).
 */
export type SignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed' | (string & {});

export interface Description {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface Candidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export interface PeerPort {
  readonly signalingState: SignalingState;
  readonly remoteDescription: unknown;
  /** Without a description: makes the offer or answer the state calls for (implicit). */
  setLocalDescription(): Promise<void>;
  readonly localDescription: { type: string; sdp: string } | null;
  setRemoteDescription(description: Description): Promise<void>;
  addIceCandidate(candidate: Candidate): Promise<void>;
}

export type Outgoing = Description | ({ type: 'candidate' } & Candidate);

export interface NegotiationEvents {
  send(message: Outgoing): void;
  /** Something went wrong that only a fresh connection can fix. */
  failed(error: unknown): void;
  /** An offer was taken: last chance to attach tracks before the answer is made. */
  beforeAnswer?(): Promise<void>;
}

/** Candidates that arrive before any remote description wait, at most this many. */
const MAX_EARLY_CANDIDATES = 100;

export class Negotiation {
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #closed = false;
  #early: Candidate[] = [];

  constructor(
    private readonly port: PeerPort,
    readonly polite: boolean,
    private readonly on: NegotiationEvents,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** The connection needs (re)negotiating: a track changed, an ICE restart, the first call. */
  async negotiationNeeded(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.port.setLocalDescription();
      if (this.#closed) return;
      const local = this.port.localDescription;
      // A collision may have turned our offer into an answer already; send whatever we now hold.
      if (local) this.on.send({ type: local.type as Description['type'], sdp: local.sdp });
    } catch (error) {
      if (!this.#closed) this.on.failed(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /** A description from the other side. */
  async description(description: Description): Promise<void> {
    if (this.#closed) return;
    const readyForOffer = !this.#makingOffer && (this.port.signalingState === 'stable' || this.#settingRemoteAnswer);
    const collision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.polite && collision;
    if (this.#ignoreOffer) return;
    // An answer with no offer of ours outstanding belongs to an offer we rolled back: drop it.
    if (description.type === 'answer' && this.port.signalingState !== 'have-local-offer') return;
    try {
      this.#settingRemoteAnswer = description.type === 'answer';
      await this.port.setRemoteDescription(description); // rolls our own offer back if need be
      this.#settingRemoteAnswer = false;
      if (this.#closed) return;
      await this.#flushEarly();
      if (description.type === 'offer') {
        await this.on.beforeAnswer?.();
        if (this.#closed) return;
        await this.port.setLocalDescription();
        if (this.#closed) return;
        const local = this.port.localDescription;
        if (local) this.on.send({ type: 'answer', sdp: local.sdp });
      }
    } catch (error) {
      this.#settingRemoteAnswer = false;
      if (!this.#closed) this.on.failed(error);
    }
  }

  /** An ICE candidate from the other side. */
  async candidate(candidate: Candidate): Promise<void> {
    if (this.#closed) return;
    if (!this.port.remoteDescription) {
      if (!this.#ignoreOffer && this.#early.length < MAX_EARLY_CANDIDATES) this.#early.push(candidate);
      return;
    }
    try {
      await this.port.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored cannot apply; anything else is a real failure.
      if (!this.#ignoreOffer && !this.#closed) this.on.failed(error);
    }
  }

  async #flushEarly(): Promise<void> {
    const waiting = this.#early;
    this.#early = [];
    for (const candidate of waiting) await this.candidate(candidate);
  }

  /** The other side left (or this side did): everything after this is ignored. */
  close(): void {
    this.#closed = true;
    this.#early = [];
  }
}
