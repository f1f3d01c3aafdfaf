/**
 * What the screens know of media: a device check before joining and a call in the meeting. The
 * mesh (mesh.ts) is one implementation of `Call`; an SFU client can replace it behind the same
 * interface without touching the screens (they only read `CallView` and call these methods).
 */
import type { MediaMode, Signal } from '../../shared/media-schema';

export type MediaProblem = 'permission-denied' | 'no-device' | 'device-in-use' | 'unsupported' | 'failed';

export interface DeviceOption {
  id: string;
  label: string;
}

export interface DeviceLists {
  microphones: DeviceOption[];
  cameras: DeviceOption[];
  /** Empty where the browser cannot choose where sound goes. */
  speakers: DeviceOption[];
}

export interface DeviceChoice {
  microphone?: string;
  camera?: string;
  speaker?: string;
}

/**
 * The person's own camera and microphone, from the device check before joining through the call.
 * One MediaStream whose tracks come and go: the camera is stopped when off (its light goes off), the
 * microphone is kept but disabled when off (so unmuting is instant).
 */
export interface LocalMedia {
  readonly stream: MediaStream;
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly choice: DeviceChoice;
  /** Asks for the devices wanted (the permission prompt, after the person's gesture). */
  start(want: { mic: boolean; camera: boolean }): Promise<MediaProblem | undefined>;
  setMic(on: boolean): void;
  setCamera(on: boolean): Promise<MediaProblem | undefined>;
  /** Switches to other devices (the pickers); remembered on this device. */
  choose(choice: DeviceChoice): Promise<MediaProblem | undefined>;
  devices(): Promise<DeviceLists>;
  /** 0..1, about 10 times a second, while the microphone is on. */
  onLevel(listener: (level: number) => void): () => void;
  /** A track was added, replaced or removed. */
  onTracks(listener: () => void): () => void;
  /** Stops every track (the camera light goes off). */
  stop(): void;
}

export interface TileView {
  participantId: string;
  stream?: MediaStream;
  camera: boolean;
  mic: boolean;
  speaking: boolean;
  /** The connection is being re-established. */
  reconnecting: boolean;
}

export interface CallView {
  mode: MediaMode;
  tiles: TileView[];
}

export interface CallOptions {
  participantId: string;
  token: string;
  /** What the device check left running; the call owns it from now on. */
  local: LocalMedia;
  update(view: CallView): void;
}

export interface Call {
  signal(from: string, signal: Signal): void;
  /** The people in the meeting now (the roster): peers not in it are closed. */
  roster(participantIds: string[]): void;
  /** The event stream is back after an outage: reconnect what did not survive it. */
  resumed(): void;
  /** The person turned the microphone or camera on or off (LocalMedia already did). */
  localChanged(): void;
  /** Ends the call: every track stops, every connection closes. */
  stop(): void;
}
