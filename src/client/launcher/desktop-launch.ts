/**
 * Tries the desktop app and tells whether it took over. Browsers say nothing about custom schemes,
 * so success is inferred the way the original launcher did: the page loses focus or becomes hidden
 * soon after the attempt. No sign before the timeout means the app is not there.
 */
export const DESKTOP_LAUNCH_TIMEOUT_MS = 2500;

export type LaunchOutcome = 'opened' | 'failed';

export interface LaunchAttempt {
  outcome: Promise<LaunchOutcome>;
  cancel(): void;
}

/**
 * `navigateTo` is the URL to open, or undefined when a link the person clicked already opens it
 * (a real tap keeps the browser's user-activation rules happy).
 */
export function attemptDesktopLaunch(
  navigateTo: string | undefined,
  timeoutMs = DESKTOP_LAUNCH_TIMEOUT_MS,
): LaunchAttempt {
  let cleanup = () => {};
  const outcome = new Promise<LaunchOutcome>((resolve) => {
    const settle = (result: LaunchOutcome) => {
      cleanup();
      resolve(result);
    };
    const onBlur = () => settle('opened');
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') settle('opened');
    };
    const timer = setTimeout(() => settle('failed'), timeoutMs);
    cleanup = () => {
      clearTimeout(timer);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('pagehide', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    window.addEventListener('blur', onBlur);
    window.addEventListener('pagehide', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
  });
  if (navigateTo) window.location.assign(navigateTo);
  return { outcome, cancel: () => cleanup() };
}
