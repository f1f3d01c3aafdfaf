/**
 * "Always use the browser on this device": the ONE thing the launcher keeps on a device, written
 * only when the person chooses it. It is a preference, not telemetry, and never leaves the device.
 */
export const PREFER_BROWSER_KEY = 'meet-launcher.prefer-browser';

export function prefersBrowser(): boolean {
  try {
    return localStorage.getItem(PREFER_BROWSER_KEY) === '1';
  } catch {
    return false; // storage blocked: behave as a first visit
  }
}

export function rememberBrowserChoice(): void {
  try {
    localStorage.setItem(PREFER_BROWSER_KEY, '1');
  } catch {
    // Storage blocked or full: the choice holds for this visit only.
  }
}

export function forgetBrowserChoice(): void {
  try {
    localStorage.removeItem(PREFER_BROWSER_KEY);
  } catch {
    // Nothing could have been stored either.
  }
}
