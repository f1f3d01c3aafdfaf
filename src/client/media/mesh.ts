/**
 * The call as a mesh: one peer connection to each other participant with media. The newcomer calls
 * everyone already in the mesh; the others answer. Signals to one peer go out one at a time, in
 * order (an answer never overtakes its offer). Counts the call for telemetry through `track` only.
 */
import type { IceServer, MediaMode, Signal } from '../../shared/media-schema';
import { track } from '../track';
import { Peer } from './peer';
import { QualitySampler } from './quality';
import { sendSignal, startMediaSession } from './signal-api';
import type { Call, CallOptions, CallView, TileView } from './types';

const STATS_INTERVAL_MS = 5_000;
const SPEAKING_INTERVAL_MS = 300;
const SPEAKING_LEVEL = 0.02;
/** Signals from people not yet known, held until the session answers (a newcomer's first offer). */
const MAX_EARLY_SIGNALS = 200;

export async function startMesh(options: CallOptions): Promise<Call> {
  const { local } = options;
  const who = { participantId: options.participantId, token: options.token };
  const peers = new Map<string, Peer>();
  const queues = new Map<string, Promise<unknown>>();
  const quality = new QualitySampler();
  let mode: MediaMode = 'none';
  let iceServers: IceServer[] = [];
  let stopped = false;
  let ready = false;
  let early: { from: string; signal: Signal }[] = [];
  let selfSpeaking = false;
  const startedAt = Date.now();

  const view = (): CallView => {
    const self: TileView = {
      participantId: who.participantId,
      stream: local.stream,
      camera: local.cameraOn && local.stream.getVideoTracks().length > 0,
      mic: local.micOn && local.stream.getAudioTracks().length > 0,
      speaking: selfSpeaking,
      reconnecting: false,
    };
    return { mode, tiles: mode === 'none' ? [] : [self, ...[...peers.values()].map((p) => p.view())] };
  };
  const changed = () => {
    options.update(view());
  };

  const send = (to: string, signal: Signal) => {
    const previous = queues.get(to) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (stopped || !peers.has(to)) return;
      const result = await sendSignal(who, to, signal);
      // The other person left the call: their connection goes.
      if (!result.ok && result.status === 404) closePeer(to);
    });
    queues.set(to, next);
  };

  const openPeer = (id: string, initiator: boolean): Peer => {
    const options = { id, polite: who.participantId < id, iceServers, local, initiator, video: mode === 'video' };
    const peer = new Peer(options, {
      send: (signal) => send(id, signal),
      changed,
      // Reported, not closed: the restarts go on while the other person is in the meeting.
      stillFailing: () =>
        track.error({ code: 'media:ice-failed', message: 'ICE failed after restarts', direction: 'none' }),
    });
    peers.set(id, peer);
    changed();
    return peer;
  };

  function closePeer(id: string): void {
    const peer = peers.get(id);
    if (!peer) return;
    void peer.pc.getStats().then(
      (report) => quality.add(report),
      () => {},
    );
    peer.close();
    peers.delete(id);
    queues.delete(id);
    changed();
  }

  const receive = (from: string, signal: Signal) => {
    if (stopped || mode === 'none') return;
    const peer = peers.get(from) ?? (signal.kind === 'offer' ? openPeer(from, false) : undefined);
    peer?.receive(signal);
  };

  const offTracks = local.onTracks(() => {
    for (const peer of peers.values()) void peer.syncSenders();
    changed();
  });
  const offLevel = local.onLevel((level) => {
    const speaking = level > SPEAKING_LEVEL * 4;
    if (speaking !== selfSpeaking) {
      selfSpeaking = speaking;
      changed();
    }
  });
  const speakingTimer = setInterval(() => {
    let any = false;
    for (const peer of peers.values()) {
      const receiver = peer.pc.getReceivers().find((r) => r.track.kind === 'audio');
      const level = receiver?.getSynchronizationSources?.()[0]?.audioLevel ?? 0;
      const speaking = level > SPEAKING_LEVEL;
      if (speaking !== peer.speaking) {
        peer.speaking = speaking;
        any = true;
      }
    }
    if (any) changed();
  }, SPEAKING_INTERVAL_MS);
  const statsTimer = setInterval(() => {
    for (const peer of peers.values())
      void peer.pc.getStats().then(
        (report) => quality.add(report),
        () => {},
      );
  }, STATS_INTERVAL_MS);

  const call: Call = {
    signal(from, signal) {
      if (ready) receive(from, signal);
      else if (early.length < MAX_EARLY_SIGNALS) early.push({ from, signal });
    },
    roster(ids) {
      const present = new Set(ids);
      for (const id of [...peers.keys()]) if (!present.has(id)) closePeer(id);
    },
    resumed() {
      for (const peer of peers.values()) peer.resume();
    },
    localChanged() {
      for (const peer of peers.values()) {
        void peer.syncSenders();
        if (peer.pc.connectionState === 'connected') peer.sendState();
      }
      changed();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(speakingTimer);
      clearInterval(statsTimer);
      offTracks();
      offLevel();
      local.stop(); // at once: the camera light goes off before anything else
      // Counted now, not after the stats below: a closing tab's last batch must carry it.
      if (mode !== 'none') track.usage('callMinutes', (Date.now() - startedAt) / 60_000);
      const open = [...peers.values()];
      peers.clear();
      changed();
      // One last sample from each connection (a short call may have none yet), then close them.
      void Promise.all(
        open.map((peer) =>
          peer.pc
            .getStats()
            .then((report) => quality.add(report))
            .catch(() => {})
            .finally(() => peer.close()),
        ),
      ).then(() => {
        if (mode === 'none') return;
        const summary = quality.summary();
        if (summary) track.record({ type: 'callQuality', ...summary });
      });
    },
  };

  const session = await startMediaSession(who, true);
  if (stopped) return call;
  if (!session.ok) {
    track.error({
      code: `media:session-${session.code}`.slice(0, 64),
      message: `Media session refused (${session.status})`,
    });
  } else {
    ({ mode, iceServers } = session.value);
  }
  if (mode === 'none') local.stop();
  else {
    if (mode === 'audio' && local.cameraOn) await local.setCamera(false);
    track.usage('callsMade');
    // The devices as the call starts, read before the await below: a person who leaves while the
    // device list is read has stopped every track by then.
    const micOn = local.micOn && local.stream.getAudioTracks().length > 0;
    const cameraOn = local.cameraOn && local.stream.getVideoTracks().length > 0;
    const devices = await local.devices().catch(() => ({ microphones: [], cameras: [], speakers: [] }));
    track.record({
      type: 'deviceConfig',
      microphones: Math.min(64, devices.microphones.length),
      cameras: Math.min(64, devices.cameras.length),
      speakers: Math.min(64, devices.speakers.length),
      micOn,
      cameraOn,
    });
    for (const id of session.ok ? session.value.peers : []) openPeer(id, true);
  }
  ready = true;
  for (const { from, signal } of early) receive(from, signal);
  early = [];
  changed();
  return call;
}
