/**
 * The signalling state machine against a model of RTCPeerConnection's signalling states (the part of
 * WebRTC it drives): a first call, glare from both sides, renegotiation, and a peer leaving mid-offer.
 */
import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  type Description,
  Negotiation,
  type Outgoing,
  type PeerPort,
  type SignalingState,
} from '../../src/client/media/negotiation';

/** The signalling states of RTCPeerConnection (implicit rollback included), with a tick of delay. */
class ModelPeer implements PeerPort {
  signalingState: SignalingState = 'stable';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  candidates: Candidate[] = [];
  #version = 0;

  constructor(readonly name: string) {}

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    if (this.signalingState === 'have-remote-offer') {
      this.localDescription = { type: 'answer', sdp: `${this.name}-answer-${++this.#version}` };
      this.signalingState = 'stable';
    } else if (this.signalingState === 'stable') {
      this.localDescription = { type: 'offer', sdp: `${this.name}-offer-${++this.#version}` };
      this.signalingState = 'have-local-offer';
    } else throw new Error(`InvalidStateError: setLocalDescription in ${this.signalingState}`);
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    if (description.type === 'offer') {
      if (this.signalingState === 'have-local-offer')
        this.localDescription = null; // implicit rollback
      else if (this.signalingState !== 'stable') throw new Error('InvalidStateError: offer');
      this.signalingState = 'have-remote-offer';
    } else {
      if (this.signalingState !== 'have-local-offer') throw new Error('InvalidStateError: answer in stable');
      this.signalingState = 'stable';
    }
    this.remoteDescription = description;
  }

  async addIceCandidate(candidate: Candidate): Promise<void> {
    await Promise.resolve();
    if (!this.remoteDescription) throw new Error('InvalidStateError: no remote description');
    this.candidates.push(candidate);
  }
}

/** Two sides wired through an in-order channel each way, as the event stream delivers them. */
function pair() {
  const a = new ModelPeer('a');
  const b = new ModelPeer('b');
  const sent: { from: string; message: Outgoing }[] = [];
  const failures: unknown[] = [];
  let negotiationA: Negotiation;
  let negotiationB: Negotiation;
  const deliver = (to: () => Negotiation) => async (message: Outgoing) => {
    await Promise.resolve();
    if (message.type === 'candidate') await to().candidate(message);
    else await to().description(message);
  };
  const channel = (from: string, to: () => Negotiation) => {
    let chain = Promise.resolve();
    return (message: Outgoing) => {
      sent.push({ from, message });
      chain = chain.then(() => deliver(to)(message));
    };
  };
  negotiationA = new Negotiation(a, true, {
    send: channel('a', () => negotiationB),
    failed: (error) => failures.push(error),
  });
  negotiationB = new Negotiation(b, false, {
    send: channel('b', () => negotiationA),
    failed: (error) => failures.push(error),
  });
  return { a, b, negotiationA, negotiationB, sent, failures };
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

describe('Negotiation', () => {
  it('completes a first offer and answer', async () => {
    const { a, b, negotiationB, sent, failures } = pair();
    await negotiationB.negotiationNeeded();
    await settle();
    expect(sent.map((s) => `${s.from}:${s.message.type}`)).toEqual(['b:offer', 'a:answer']);
    expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
    expect(a.remoteDescription).toEqual(b.localDescription);
    expect(failures).toEqual([]);
  });

  it('resolves glare: the polite side rolls back and answers, the impolite side ignores the other offer', async () => {
    const { a, b, negotiationA, negotiationB, sent, failures } = pair();
    await Promise.all([negotiationA.negotiationNeeded(), negotiationB.negotiationNeeded()]);
    await settle();
    expect(sent.map((s) => `${s.from}:${s.message.type}`)).toEqual(['a:offer', 'b:offer', 'a:answer']);
    expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
    // The impolite side's offer won: both hold the same pair of descriptions.
    expect(a.remoteDescription).toMatchObject({ type: 'offer', sdp: 'b-offer-1' });
    expect(b.remoteDescription).toEqual(a.localDescription);
    expect(failures).toEqual([]);
  });

  it('drops the candidates of an ignored offer without failing', async () => {
    const { negotiationB, b, failures } = pair();
    await negotiationB.negotiationNeeded(); // b holds a local offer, a's offer collides
    await negotiationB.description({ type: 'offer', sdp: 'a-offer-1' });
    await negotiationB.candidate({
      candidate: 'candidate:a 1 udp 1 127.0.0.1 9 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
    expect(b.signalingState).toBe('have-local-offer');
    expect(b.candidates).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('renegotiates after a change, from either side, any number of times', async () => {
    const { a, b, negotiationA, negotiationB, sent, failures } = pair();
    await negotiationB.negotiationNeeded();
    await settle();
    await negotiationA.negotiationNeeded(); // say, the camera came on
    await settle();
    await negotiationB.negotiationNeeded(); // an ICE restart
    await settle();
    expect(sent.map((s) => `${s.from}:${s.message.type}`)).toEqual([
      'b:offer',
      'a:answer',
      'a:offer',
      'b:answer',
      'b:offer',
      'a:answer',
    ]);
    expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
    expect(failures).toEqual([]);
  });

  it('keeps candidates that arrive before the offer, and applies them after it', async () => {
    const { negotiationA, a } = pair();
    const early = { candidate: 'candidate:b 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    await negotiationA.candidate(early);
    expect(a.candidates).toEqual([]);
    await negotiationA.description({ type: 'offer', sdp: 'b-offer-1' });
    expect(a.candidates).toEqual([early]);
    expect(a.signalingState).toBe('stable');
  });

  it('a participant leaving mid-offer: nothing more is sent or applied, nothing fails', async () => {
    const { a, negotiationA, negotiationB, sent, failures } = pair();
    const offering = negotiationB.negotiationNeeded();
    negotiationA.close(); // a leaves while b's offer is on its way
    await offering;
    await settle();
    expect(sent.map((s) => `${s.from}:${s.message.type}`)).toEqual(['b:offer']);
    expect(a.remoteDescription).toBeNull();
    await negotiationA.candidate({ candidate: 'x', sdpMid: '0', sdpMLineIndex: 0 });
    await negotiationA.negotiationNeeded();
    expect(sent).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it('the offerer closing before its offer is made sends nothing', async () => {
    const { negotiationB, sent } = pair();
    const offering = negotiationB.negotiationNeeded();
    negotiationB.close();
    await offering;
    await settle();
    expect(sent).toEqual([]);
  });

  it('reports a failure that only a new connection can fix', async () => {
    const { negotiationA, failures } = pair();
    // An answer while stable, to an offer never made: dropped, not a failure.
    await negotiationA.description({ type: 'answer', sdp: 'stray' });
    expect(failures).toEqual([]);
    const broken = new Negotiation(
      {
        signalingState: 'stable',
        remoteDescription: null,
        localDescription: null,
        setLocalDescription: () => Promise.reject(new Error('OperationError')),
        setRemoteDescription: () => Promise.resolve(),
        addIceCandidate: () => Promise.resolve(),
      },
      false,
      { send: () => {}, failed: (error) => failures.push(error) },
    );
    await broken.negotiationNeeded();
    expect(failures).toHaveLength(1);
  });
});
