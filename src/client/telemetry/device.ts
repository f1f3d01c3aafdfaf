/** The DeviceID: a random UUID made once per device, stored only while telemetry is on. */

import { randomUuid } from '../random-id';
import { DEVICE_ID_KEY } from '../telemetry-storage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function deviceId(): string {
  try {
    const stored = localStorage.getItem(DEVICE_ID_KEY);
    if (stored && UUID.test(stored)) return stored;
    const made = randomUuid();
    localStorage.setItem(DEVICE_ID_KEY, made);
    return made;
  } catch {
    // Storage blocked: a per-page id still lets the service count this session once.
    return randomUuid();
  }
}
