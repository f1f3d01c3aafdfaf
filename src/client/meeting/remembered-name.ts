/**
 * The display name, remembered on this device so the next join is one click. This is the shell's
 * only storage key; it is the person's own convenience, never telemetry.
 */
export const DISPLAY_NAME_KEY = 'meet-launcher.displayName';

export function rememberedName(): string {
  try {
    return localStorage.getItem(DISPLAY_NAME_KEY) ?? '';
  } catch {
    return ''; // storage blocked: the person types their name
  }
}

export function rememberName(name: string): void {
  try {
    localStorage.setItem(DISPLAY_NAME_KEY, name);
  } catch {
    // Storage blocked or full: remembering is a convenience, joining works without it.
  }
}
