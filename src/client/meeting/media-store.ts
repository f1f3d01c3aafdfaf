/**
 * The screens' side of media: what the prejoin and the meeting show (toggles, devices, problems,
 * tiles) and the few calls they make. The media code itself is a lazy chunk (../media/), loaded
 * when the prejoin shows; this module is all the shell carries of it. Telemetry through `track`.
 */
import type { RosterEntry } from '../../shared/api-schema';
import type { Signal } from '../../shared/media-schema';
import type { Call, CallView, DeviceLists, LocalMedia, MediaProblem } from '../media/media';
import { call as apiCall } from '../meeting-api';
import { createStore } from '../store';
import { track } from '../track';

export type MediaModule = typeof import('../media/media');

export interface MediaState {
  /** The device check is running (the chunk loaded and the devices were asked for). */
  ready: boolean;
  micOn: boolean;
  cameraOn: boolean;
  /** What went wrong with the devices, to explain on the prejoin (and in the meeting). */
  problem?: MediaProblem;
  devices: DeviceLists;
  choice: { microphone?: string; camera?: string; speaker?: string };
  preview?: MediaStream;
  call?: CallView;
}

const NO_DEVICES: DeviceLists = { microphones: [], cameras: [], speakers: [] };
const INITIAL: MediaState = { ready: false, micOn: true, cameraOn: true, devices: NO_DEVICES, choice: {} };

export const mediaStore = createStore<MediaState>(INITIAL);
/** The microphone level, apart: it changes 10 times a second and only the meter reads it. */
export const levelStore = createStore<{ level: number }>({ level: 0 });

let loading: Promise<MediaModule> | undefined;
/**
 * Set by the launcher's ShellLoader: the media chunk's import lives in the entry, so this chunk has
 * no dynamic import of its own and the entry needs no dependency-preload helper for it.
 */
let loader: (() => Promise<MediaModule>) | undefined;

export function setMediaLoader(load: () => Promise<MediaModule>): void {
  loader = load;
}
let local: LocalMedia | undefined;
let call: Call | undefined;
let offLevel: (() => void) | undefined;
let generation = 0;

const load = () => {
  loading ??= loader
    ? loader().then((media) => {
        media.useApiTransport(apiCall);
        return media;
      })
    : Promise.reject(new Error('no media loader'));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
};

function report(problem: MediaProblem | undefined): void {
  mediaStore.update({ problem });
  if (problem) track.error({ code: `media:${problem}`, message: `Media devices: ${problem}`, direction: 'none' });
}

async function refreshDevices(): Promise<void> {
  if (!local) return;
  const devices = await local.devices().catch(() => NO_DEVICES);
  mediaStore.update({ devices, choice: local.choice, preview: local.stream });
}

const syncLocal = () => {
  if (!local) return;
  mediaStore.update({ micOn: local.micOn, cameraOn: local.cameraOn, preview: local.stream });
};

/** The prejoin showed: load the media chunk and ask for the devices (the join-in-browser gesture). */
export async function openDeviceCheck(): Promise<void> {
  const mine = ++generation;
  let media: MediaModule;
  try {
    media = await load();
  } catch {
    report('failed');
    return;
  }
  if (mine !== generation || local) return;
  local = media.createLocalMedia();
  const { micOn, cameraOn } = mediaStore.get();
  const problem = await local.start({ mic: micOn, camera: cameraOn });
  if (mine !== generation) return;
  offLevel = local.onLevel((level) => levelStore.set({ level }));
  report(problem);
  syncLocal();
  mediaStore.update({ ready: true });
  await refreshDevices();
}

/** Asks again after the person fixed a permission or freed a device. */
export async function retryDevices(): Promise<void> {
  if (!local) return openDeviceCheck();
  report(await local.start({ mic: true, camera: true }));
  syncLocal();
  await refreshDevices();
}

/** Whether there is a microphone to unmute (none after a denied permission or with no device). */
export function hasMicrophone(): boolean {
  return (local?.stream.getAudioTracks().length ?? 0) > 0;
}

export async function setMic(on: boolean): Promise<void> {
  mediaStore.update({ micOn: on });
  local?.setMic(on);
  call?.localChanged();
}

export async function setCamera(on: boolean): Promise<void> {
  if (mediaStore.get().call?.mode === 'audio' && on) return;
  mediaStore.update({ cameraOn: on });
  if (!local) return;
  const problem = await local.setCamera(on);
  if (problem) report(problem);
  syncLocal();
  call?.localChanged();
}

export async function chooseDevice(kind: 'microphone' | 'camera' | 'speaker', id: string): Promise<void> {
  if (!local) return;
  const problem = await local.choose({ ...local.choice, [kind]: id });
  if (problem) report(problem);
  syncLocal();
  mediaStore.update({ choice: local.choice });
  call?.localChanged();
}

/** In the meeting: the call starts with whatever the device check left running. */
export async function startCall(who: { participantId: string; token: string }): Promise<void> {
  const mine = generation;
  let media: MediaModule;
  try {
    media = await load();
  } catch {
    return;
  }
  if (mine !== generation || call) return;
  local ??= media.createLocalMedia();
  call = await media.startCall({
    participantId: who.participantId,
    token: who.token,
    local,
    update: (view) => {
      if (mine === generation) mediaStore.update({ call: view, cameraOn: local?.cameraOn ?? false });
    },
  });
  if (mine !== generation) call.stop();
  else for (const signal of early.splice(0)) call.signal(signal.from, signal.signal);
}

const early: { from: string; signal: Signal }[] = [];

export function callSignal(from: string, signal: Signal): void {
  if (call) call.signal(from, signal);
  else if (early.length < 200) early.push({ from, signal });
}

export function callRoster(roster: RosterEntry[]): void {
  call?.roster(roster.map((entry) => entry.id));
}

export function callResumed(): void {
  call?.resumed();
}

/** Leaving, removed, meeting ended, or back to the prejoin: every track stops. */
export function stopMedia(): void {
  generation++;
  call?.stop();
  call = undefined;
  offLevel?.();
  offLevel = undefined;
  local?.stop();
  local = undefined;
  early.length = 0;
  mediaStore.set(INITIAL);
  levelStore.set({ level: 0 });
}
