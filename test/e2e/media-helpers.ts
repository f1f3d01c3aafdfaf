/**
 * Helpers for the audio/video flows: what one page receives from another, read in the page itself
 * (frames decoded by the tile's <video>, sound energy of its audio track through Web Audio), and
 * every camera/microphone track the page ever got (to check they all stop).
 */
import { type Browser, chromium, type Page } from '@playwright/test';
import type { JoinResponse } from '../../src/shared/api-schema';
import type { MediaMode, MediaSessionResponse } from '../../src/shared/media-schema';
import { CHROMIUM_ARGS, findChromium } from './browser';
import type { PoolServer } from './fixtures';
import { expect } from './shell-helpers';

/** The participant id of the page's own tile. */
export async function selfId(page: Page): Promise<string> {
  const tile = page.getByTestId('media-tile').first();
  await expect(tile).toBeVisible();
  return (await tile.getAttribute('data-participant-id')) as string;
}

/**
 * Frames the page has shown from that participant's video so far. Chromium counts a stream's frames
 * in getVideoPlaybackQuality; Firefox keeps that at 0 for a MediaStream, so the frames the tile's
 * <video> presents are also counted (requestVideoFrameCallback, both engines, from the first
 * reading on) and the larger count is the answer.
 */
export function framesFrom(page: Page, participantId: string): Promise<number> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement & { __presentedFrames?: number }>(
      `[data-testid="media-tile"][data-participant-id="${id}"] video`,
    );
    if (!video) return 0;
    if (video.__presentedFrames === undefined) {
      video.__presentedFrames = 0;
      const count = () => {
        video.__presentedFrames = (video.__presentedFrames ?? 0) + 1;
        video.requestVideoFrameCallback(count);
      };
      video.requestVideoFrameCallback(count);
    }
    return Math.max(video.getVideoPlaybackQuality().totalVideoFrames, video.__presentedFrames);
  }, participantId);
}

/**
 * Waits until frames from that participant keep arriving (two readings apart, both growing). The
 * windows are wide: on a 2-core machine running the suite's other worker, three pages decoding six
 * streams can stall for seconds; what is checked is that frames come, not how fast.
 */
export async function expectVideoFlowing(page: Page, participantId: string): Promise<void> {
  await expect.poll(() => framesFrom(page, participantId), { timeout: 45_000 }).toBeGreaterThan(5);
  const before = await framesFrom(page, participantId);
  await expect.poll(() => framesFrom(page, participantId), { timeout: 30_000 }).toBeGreaterThan(before + 5);
  const live = await page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(
      `[data-testid="media-tile"][data-participant-id="${id}"] video`,
    );
    const stream = video?.srcObject as MediaStream | null;
    return {
      playing: !!video && !video.paused && video.videoWidth > 0,
      tracks: stream?.getTracks().map((t) => `${t.kind}:${t.readyState}`) ?? [],
    };
  }, participantId);
  expect(live.playing).toBe(true);
  expect(live.tracks.sort()).toEqual(['audio:live', 'video:live']);
}

/**
 * The loudest moment of that participant's sound over `ms`, 0 for silence (RMS of its audio track),
 * -1 when the tile has no audio track. The fake microphone beeps about once a second in Chromium
 * (and plays a steady tone in Firefox), so 1.5 s always holds some sound when it comes through.
 *
 * Chromium measures the live track through a Web Audio AnalyserNode. Headless Firefox without a
 * sound device never starts an AudioContext (it stays `suspended` and reads silence), so there the
 * page records the track for `ms` with a MediaRecorder and decodes the recording with an
 * OfflineAudioContext, which needs no device: the same received sound, measured after the fact.
 */
export function soundFrom(page: Page, participantId: string, ms = 1500): Promise<number> {
  const engine = page.context().browser()?.browserType().name();
  if (engine === 'firefox') return recordedSoundFrom(page, participantId, ms);
  return page.evaluate(
    ([id, duration]) =>
      new Promise<number>((resolve) => {
        const video = document.querySelector<HTMLVideoElement>(
          `[data-testid="media-tile"][data-participant-id="${id}"] video`,
        );
        const track = (video?.srcObject as MediaStream | null)?.getAudioTracks()[0];
        if (!track) return resolve(-1);
        const context = new AudioContext();
        const analyser = context.createAnalyser();
        context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
        const samples = new Float32Array(analyser.fftSize);
        let loudest = 0;
        const timer = setInterval(() => {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (const s of samples) sum += s * s;
          loudest = Math.max(loudest, Math.sqrt(sum / samples.length));
        }, 20);
        setTimeout(() => {
          clearInterval(timer);
          void context.close();
          resolve(loudest);
        }, duration as number);
      }),
    [participantId, ms] as const,
  );
}

/** `soundFrom` for an engine without a running AudioContext: record, decode, loudest 2048-sample window. */
function recordedSoundFrom(page: Page, participantId: string, ms: number): Promise<number> {
  return page.evaluate(
    async ([id, duration]) => {
      const video = document.querySelector<HTMLVideoElement>(
        `[data-testid="media-tile"][data-participant-id="${id}"] video`,
      );
      const track = (video?.srcObject as MediaStream | null)?.getAudioTracks()[0];
      if (!track) return -1;
      const recorder = new MediaRecorder(new MediaStream([track]));
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const stopped = new Promise((resolve) => {
        recorder.onstop = resolve;
      });
      recorder.start();
      await new Promise((resolve) => setTimeout(resolve, duration as number));
      recorder.stop();
      await stopped;
      const recording = await new Blob(chunks, { type: recorder.mimeType }).arrayBuffer();
      const audio = await new OfflineAudioContext(1, 48_000, 48_000).decodeAudioData(recording);
      const samples = audio.getChannelData(0);
      const windowSize = 2048;
      let loudest = 0;
      for (let start = 0; start + windowSize <= samples.length; start += windowSize) {
        let sum = 0;
        for (let i = start; i < start + windowSize; i++) sum += (samples[i] as number) ** 2;
        loudest = Math.max(loudest, Math.sqrt(sum / windowSize));
      }
      return loudest;
    },
    [participantId, ms] as const,
  );
}

/** Records every track getUserMedia hands the page (an init script: before the app runs). */
export async function recordTracks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: MediaStreamTrack[] = [];
    (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks = seen;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      seen.push(...stream.getTracks());
      return stream;
    };
  });
}

/** The state of every track the page ever got: `audio:live`, `video:ended`, ... */
export function trackStates(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.map((t) => `${t.kind}:${t.readyState}`),
  );
}

/**
 * A Chromium whose permission prompt answers "no" to camera and microphone (the fake UI's deny
 * mode), as when a person clicks Block. The caller closes it.
 */
export function launchDenyingBrowser(): Promise<Browser> {
  const args = CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream');
  return chromium.launch({ executablePath: findChromium(), args: [...args, '--use-fake-ui-for-media-stream=deny'] });
}

/**
 * Keeps every RTCPeerConnection the page makes, with the history of its connection state and how
 * often the app called restartIce() on it (an init script: before the app runs). Read with `links`.
 */
export async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    interface Recorded extends RTCPeerConnection {
      __states: string[];
      __restarts: number;
    }
    const all: Recorded[] = [];
    (window as unknown as { __peerConnections: Recorded[] }).__peerConnections = all;
    const Native = window.RTCPeerConnection;
    const restartIce = Native.prototype.restartIce;
    Native.prototype.restartIce = function (this: Recorded) {
      this.__restarts++;
      return restartIce.call(this);
    };
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        const self = this as unknown as Recorded;
        self.__states = [this.connectionState];
        self.__restarts = 0;
        this.addEventListener('connectionstatechange', () => self.__states.push(this.connectionState));
        all.push(self);
      }
    } as typeof RTCPeerConnection;
  });
}

export interface SocketAddress {
  address: string;
  port: number;
}

export interface Link {
  connectionState: RTCPeerConnectionState;
  /** Every connection state it went through, in order. */
  states: string[];
  /** restartIce() calls the app made on it. */
  restarts: number;
  /** The ICE username fragment of its local description: a new one after an ICE restart. */
  ufrag: string | undefined;
  /** The selected candidate pair (UDP), when there is one. */
  local?: SocketAddress;
  remote?: SocketAddress;
  /** Every UDP socket its ICE agent gathered (one per local address): any of them can carry the call. */
  sockets: SocketAddress[];
}

/**
 * The page's open peer connections (recorded by `recordPeerConnections`), read from getStats;
 * `closed: true` lists the closed ones too.
 */
export function links(page: Page, options: { closed?: boolean } = {}): Promise<Link[]> {
  return page.evaluate(async (withClosed) => {
    type Recorded = RTCPeerConnection & { __states: string[]; __restarts: number };
    const all = (window as unknown as { __peerConnections: Recorded[] }).__peerConnections;
    const open = all.filter((pc) => withClosed || pc.connectionState !== 'closed');
    return Promise.all(
      open.map(async (pc) => {
        const stats = await pc.getStats();
        let pairId: string | undefined;
        const sockets: { address: string; port: number }[] = [];
        stats.forEach((s) => {
          if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
          if (s.type === 'local-candidate' && s.protocol === 'udp') sockets.push({ address: s.address, port: s.port });
        });
        const pair = pairId ? stats.get(pairId) : undefined;
        const socket = (id: string | undefined) => {
          const candidate = id ? stats.get(id) : undefined;
          return candidate && candidate.protocol === 'udp'
            ? { address: candidate.address as string, port: candidate.port as number }
            : undefined;
        };
        return {
          connectionState: pc.connectionState,
          states: [...pc.__states],
          restarts: pc.__restarts,
          ufrag: /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1],
          local: socket(pair?.localCandidateId),
          remote: socket(pair?.remoteCandidateId),
          sockets,
        };
      }),
    );
  }, options.closed ?? false);
}

/** The page's one open peer connection (a call of two). */
export async function link(page: Page): Promise<Link> {
  const open = await links(page);
  expect(open, 'open peer connections').toHaveLength(1);
  return open[0] as Link;
}

export interface ApiParticipant {
  id: string;
  /** The mode the server gave their media session: `video`, `audio` or `none`. */
  mode: MediaMode;
  /** Leaves the meeting (their place in the call frees) and closes their event stream. */
  leave(): Promise<void>;
}

/**
 * Someone in the call without a browser, to fill it cheaply: joins through the conference API,
 * starts a media session asking for video (so the server counts them in the mesh, in the mode it
 * gives), and keeps an event stream open. The signals others send them are read and dropped: they
 * never answer, so the pages show their tile with initials, never connected.
 */
export async function joinThroughApi(pool: PoolServer, meetingPath: string, name: string): Promise<ApiParticipant> {
  const api = (path: string) => pool.url(`/api/v1${path}`);
  const joined = await fetch(api(`/meetings${meetingPath}/participants`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: name }),
  });
  expect(joined.status, `${name} joins`).toBe(201);
  const { participantId, token, state } = (await joined.json()) as JoinResponse;
  expect(state).toBe('in-meeting');
  const auth = { authorization: `Bearer ${token}` };
  const stream = new AbortController();
  const events = await fetch(api(`/participants/${participantId}/events?token=${encodeURIComponent(token)}`), {
    signal: stream.signal,
  });
  expect(events.status, `${name}'s event stream`).toBe(200);
  void events.body?.pipeTo(new WritableStream()).catch(() => {});
  const media = await fetch(api(`/participants/${participantId}/media`), {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ video: true }),
  });
  expect(media.status, `${name} starts media`).toBe(200);
  const { mode } = (await media.json()) as MediaSessionResponse;
  return {
    id: participantId,
    mode,
    async leave() {
      await fetch(api(`/participants/${participantId}`), { method: 'DELETE', headers: auth }).catch(() => {});
      stream.abort();
    },
  };
}

/** Bytes of RTP the page sent and received so far, per media kind, over all its peer connections. */
export function rtpBytes(
  page: Page,
): Promise<{ audioIn: number; audioOut: number; videoIn: number; videoOut: number }> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const total = { audioIn: 0, audioOut: 0, videoIn: 0, videoOut: 0 };
    for (const pc of all) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp') total[s.kind === 'audio' ? 'audioIn' : 'videoIn'] += s.bytesReceived ?? 0;
        if (s.type === 'outbound-rtp') total[s.kind === 'audio' ? 'audioOut' : 'videoOut'] += s.bytesSent ?? 0;
      });
    }
    return total;
  });
}
