/**
 * A random id this page keeps on the device and sends when it joins, so that someone the
 * organizer removed comes back only through the lobby even with a new tab or a new name. It is
 * the shell's own (not telemetry's DeviceID, which exists only when a pool turns telemetry on),
 * names nobody, and never leaves the join request; the server keeps it only while the meeting
 * lives. A private window or cleared storage gets a new one: the address and the former token
 * are the other two marks.
 */
export const DEVICE_ID_KEY = 'meet-launcher.deviceId';

const VALID = /^[\w-]{16,64}$/;

function newDeviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '');
}

/** This device's id: the stored one, or a new one stored now (one for the tab if storage is blocked). */
let forThisTab: string | undefined;
export function deviceId(): string {
  try {
    const stored = localStorage.getItem(DEVICE_ID_KEY);
    if (stored && VALID.test(stored)) return stored;
    const made = newDeviceId();
    localStorage.setItem(DEVICE_ID_KEY, made);
    return made;
  } catch {
    forThisTab ??= newDeviceId();
    return forThisTab;
  }
}
