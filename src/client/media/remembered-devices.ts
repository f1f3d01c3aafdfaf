/** The microphone, camera and speaker this device chose last time (ids only, never labels). */
import type { DeviceChoice } from './types';

const KEY = 'meet-launcher.media-devices';

export function rememberedDevices(): DeviceChoice {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    const pick = (x: unknown) => (typeof x === 'string' && x.length <= 256 ? x : undefined);
    return { microphone: pick(parsed.microphone), camera: pick(parsed.camera), speaker: pick(parsed.speaker) };
  } catch {
    return {};
  }
}

export function rememberDevices(choice: DeviceChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // Storage refused (private mode, quota): the choice lasts this visit only.
  }
}
