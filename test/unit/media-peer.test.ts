/**
 * One connection of the mesh against a model of RTCPeerConnection (transceivers, connection state):
 * audio only carries no video either way, and a failed connection is restarted by one side, never
 * closed while the other person is in the meeting.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POLITE_WAIT_MS, QUICK_RESTARTS } from '../../src/client/media/ice-restarts';
import { Peer, type PeerEvents } from '../../src/client/media/peer';
import type { LocalMedia } from '../../src/client/media/types';
import type { Signal } from '../../src/shared/media-schema';

class FakeTrack {
  muted = false;
  readyState = 'live';
  constructor(readonly kind: 'audio' | 'video') {}
}

class FakeStream {
  #tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.#tracks = [...tracks];
  }
  getTracks = () => [...this.#tracks];
  getAudioTracks = () => this.#tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.#tracks.filter((t) => t.kind === 'video');
  addTrack = (track: FakeTrack) => void this.#tracks.push(track);
  removeTrack = (track: FakeTrack) => {
    this.#tracks = this.#tracks.filter((t) => t !== track);
  };
}

class FakeTransceiver {
  currentDirection: string | null = null;
  readonly sender = {
    track: null as FakeTrack | null,
    replaceTrack: async (track: FakeTrack | null) => {
      this.sender.track = track;
    },
  };
  readonly receiver: { track: FakeTrack };
  constructor(
    kind: 'audio' | 'video',
    public direction: string,
  ) {
    this.receiver = { track: new FakeTrack(kind) };
  }
}

class FakePeerConnection {
  static last: FakePeerConnection;
  connectionState = 'new';
  signalingState = 'stable';
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  restarts = 0;
  readonly transceivers: FakeTransceiver[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: (() => void) | null = null;
  ontrack: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;

  constructor() {
    FakePeerConnection.last = this;
  }
  addTransceiver(kind: 'audio' | 'video', init: { direction: string }) {
    const transceiver = new FakeTransceiver(kind, init.direction);
    this.transceivers.push(transceiver);
    return transceiver;
  }
  getTransceivers = () => this.transceivers;
  /** An offer from the other side with an audio and a video section: it makes the transceivers. */
  offered(): void {
    this.addTransceiver('audio', { direction: 'recvonly' });
    this.addTransceiver('video', { direction: 'recvonly' });
    this.remoteDescription = { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:them1\r\n' };
  }
  setState(state: string): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
  restartIce(): void {
    this.restarts++;
  }
  close(): void {
    this.connectionState = 'closed';
  }
  async setLocalDescription() {}
  async setRemoteDescription() {}
  async addIceCandidate() {}
  async getStats() {
    return new Map();
  }
}

function localMedia(): LocalMedia {
  const stream = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]);
  return { stream, micOn: true, cameraOn: true } as unknown as LocalMedia;
}

function peer(options: { initiator: boolean; video: boolean; polite?: boolean }) {
  const sent: Signal[] = [];
  const stillFailing = vi.fn();
  const events: PeerEvents = { send: (signal) => sent.push(signal), changed: () => {}, stillFailing };
  const local = localMedia();
  const made = new Peer({ id: 'other', polite: options.polite ?? false, iceServers: [], local, ...options }, events);
  return { peer: made, pc: FakePeerConnection.last, local, sent, stillFailing };
}

const directions = (pc: FakePeerConnection) =>
  pc.transceivers.map((t) => `${t.receiver.track.kind}:${t.direction}:${t.sender.track?.kind ?? 'none'}`);

beforeEach(() => {
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  vi.stubGlobal('MediaStream', FakeStream);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('a connection of someone with audio only', () => {
  it('calling: offers no video (inactive) and puts no camera on it', async () => {
    const { peer: p, pc } = peer({ initiator: true, video: false });
    await p.syncSenders();
    expect(directions(pc)).toEqual(['audio:sendrecv:audio', 'video:inactive:none']);
  });

  it('answering a caller with video: answers its video inactive', async () => {
    const { peer: p, pc } = peer({ initiator: false, video: false });
    pc.offered();
    await p.syncSenders(); // what the answer is made from
    expect(directions(pc)).toEqual(['audio:sendrecv:audio', 'video:inactive:none']);
  });

  it('shows the other person’s initials even when their camera is on, and says its own is off', () => {
    const { peer: p, sent } = peer({ initiator: false, video: false });
    p.receive({ kind: 'state', camera: true, mic: true });
    expect(p.view()).toMatchObject({ camera: false, mic: true });
    p.sendState();
    expect(sent.at(-1)).toEqual({ kind: 'state', camera: false, mic: true });
  });
});

describe('a connection with video', () => {
  it('sends and receives audio and video, calling or answering', async () => {
    const caller = peer({ initiator: true, video: true });
    await caller.peer.syncSenders();
    expect(directions(caller.pc)).toEqual(['audio:sendrecv:audio', 'video:sendrecv:video']);
    const answerer = peer({ initiator: false, video: true });
    answerer.pc.offered();
    await answerer.peer.syncSenders();
    expect(directions(answerer.pc)).toEqual(['audio:sendrecv:audio', 'video:sendrecv:video']);
    answerer.peer.receive({ kind: 'state', camera: true, mic: true });
    expect(answerer.peer.view().camera).toBe(true);
  });
});

describe('a failed connection', () => {
  it('the impolite side restarts ICE at once; the polite side waits for it', () => {
    vi.useFakeTimers();
    const impolite = peer({ initiator: true, video: true, polite: false });
    const polite = peer({ initiator: false, video: true, polite: true });
    polite.pc.offered();
    impolite.pc.setState('failed');
    polite.pc.setState('failed');
    expect([impolite.pc.restarts, polite.pc.restarts]).toEqual([1, 0]);
    // The impolite side's restart offer reaches the polite side: new ICE credentials.
    polite.pc.remoteDescription = { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:them2\r\n' };
    vi.advanceTimersByTime(POLITE_WAIT_MS);
    expect(polite.pc.restarts).toBe(0);
  });

  it('is never closed while the other person is there: the outage is reported once, restarts go on', () => {
    vi.useFakeTimers();
    const { pc, stillFailing } = peer({ initiator: true, video: true });
    for (let i = 0; i < QUICK_RESTARTS + 3; i++) {
      pc.setState('failed');
      vi.advanceTimersByTime(60_000);
    }
    expect(pc.connectionState).toBe('failed');
    expect(pc.restarts).toBe(QUICK_RESTARTS + 3);
    expect(stillFailing).toHaveBeenCalledTimes(1);
    pc.setState('connected');
    pc.setState('failed');
    expect(pc.restarts).toBe(QUICK_RESTARTS + 4);
  });
});
