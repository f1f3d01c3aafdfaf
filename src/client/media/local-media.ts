/**
 * The person's own camera and microphone (see LocalMedia in types.ts): asks for them, tells what
 * went wrong in terms the screens can explain, lists devices for the pickers, measures the level.
 */
import { watchLevel } from './level';
import { rememberDevices, rememberedDevices } from './remembered-devices';
import type { DeviceChoice, DeviceLists, LocalMedia, MediaProblem } from './types';

/** Maps getUserMedia's DOMException names to what the person can do something about. */
export function problemOf(error: unknown): MediaProblem {
  switch ((error as { name?: string } | undefined)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'permission-denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
      return 'device-in-use';
    default:
      return 'failed';
  }
}

const constraint = (id: string | undefined): MediaTrackConstraints | boolean =>
  id ? { deviceId: { ideal: id } } : true;

async function request(choice: DeviceChoice, audio: boolean, video: boolean): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: audio && constraint(choice.microphone),
    video: video && constraint(choice.camera),
  });
}

export async function listDevices(): Promise<DeviceLists> {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const of = (kind: MediaDeviceKind) =>
    all.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ id: d.deviceId, label: d.label || `${i + 1}` }));
  const canChooseSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
  return {
    microphones: of('audioinput'),
    cameras: of('videoinput'),
    speakers: canChooseSpeaker ? of('audiooutput') : [],
  };
}

export function createLocalMedia(): LocalMedia {
  const stream = new MediaStream();
  let micOn = true;
  let cameraOn = true;
  let choice = rememberedDevices();
  const levelListeners = new Set<(level: number) => void>();
  const trackListeners = new Set<() => void>();
  let stopLevel: (() => void) | undefined;

  const changed = () => {
    stopLevel?.();
    stopLevel = undefined;
    const audio = stream.getAudioTracks()[0];
    if (audio) audio.enabled = micOn;
    if (audio && micOn && levelListeners.size) {
      stopLevel = watchLevel(new MediaStream([audio]), (level) => {
        for (const listener of levelListeners) listener(level);
      });
    } else for (const listener of levelListeners) listener(0);
    for (const listener of trackListeners) listener();
  };
  const drop = (kind: 'audio' | 'video') => {
    for (const track of stream.getTracks())
      if (track.kind === kind) {
        track.stop();
        stream.removeTrack(track);
      }
  };
  /** Gets the kinds asked for; on a missing device, what is left (a laptop with no camera). */
  const get = async (audio: boolean, video: boolean): Promise<MediaProblem | undefined> => {
    if (!audio && !video) return undefined;
    if (!navigator.mediaDevices?.getUserMedia) return 'unsupported';
    let got: MediaStream | undefined;
    let problem: MediaProblem | undefined;
    try {
      got = await request(choice, audio, video);
    } catch (error) {
      problem = problemOf(error);
      if (problem === 'no-device' && audio && video) {
        got = await request(choice, true, false).catch(() => request(choice, false, true).catch(() => undefined));
      }
    }
    for (const track of got?.getTracks() ?? []) {
      drop(track.kind as 'audio' | 'video');
      stream.addTrack(track);
    }
    return problem;
  };

  return {
    stream,
    get micOn() {
      return micOn;
    },
    get cameraOn() {
      return cameraOn;
    },
    get choice() {
      return choice;
    },
    async start(want) {
      micOn = want.mic;
      cameraOn = want.camera;
      // The microphone is asked for even when starting muted, so unmuting needs no new prompt.
      const problem = await get(true, want.camera);
      // What could not be had is off (a denied permission, no such device).
      if (!stream.getAudioTracks().length) micOn = false;
      if (!stream.getVideoTracks().length) cameraOn = false;
      changed();
      return problem;
    },
    setMic(on) {
      micOn = on;
      changed();
    },
    async setCamera(on) {
      cameraOn = on;
      if (!on) {
        drop('video');
        changed();
        return undefined;
      }
      const problem = await get(false, true);
      if (!stream.getVideoTracks().length) cameraOn = false;
      changed();
      return problem;
    },
    async choose(next) {
      const micChanged = next.microphone !== choice.microphone;
      const cameraChanged = next.camera !== choice.camera;
      choice = { ...next };
      rememberDevices(choice);
      const problem = await get(micChanged, cameraChanged && cameraOn);
      changed();
      return problem;
    },
    devices: listDevices,
    onLevel(listener) {
      levelListeners.add(listener);
      changed();
      return () => {
        levelListeners.delete(listener);
        if (!levelListeners.size) {
          stopLevel?.();
          stopLevel = undefined;
        }
      };
    },
    onTracks(listener) {
      trackListeners.add(listener);
      return () => trackListeners.delete(listener);
    },
    stop() {
      stopLevel?.();
      stopLevel = undefined;
      drop('audio');
      drop('video');
      levelListeners.clear();
      trackListeners.clear();
    },
  };
}
