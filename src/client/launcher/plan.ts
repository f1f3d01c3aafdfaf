/** What the launcher does first, decided from the link, the device, the pool and this device's choice. */
import type { Platform } from './platform';

export interface PlanInput {
  skipLaunch: boolean;
  platform: Platform;
  autoLaunchDesktopClient: boolean;
  prefersBrowser: boolean;
  showAlternateJoinOptionsExpanded: boolean;
}

export interface JoinPlan {
  /** Try the desktop app at once. */
  launchDesktop: boolean;
  /** Show every way to join at once (otherwise behind "Other ways to join"). */
  optionsOpen: boolean;
}

export function planJoin(input: PlanInput): JoinPlan {
  // Mobile browsers cannot be probed for an app without a tap; they get the choices instead.
  const launchDesktop =
    !input.skipLaunch && input.platform === 'desktop' && input.autoLaunchDesktopClient && !input.prefersBrowser;
  // Without a launch attempt in progress the options are the whole page: never hide them.
  return { launchDesktop, optionsOpen: !launchDesktop || input.showAlternateJoinOptionsExpanded };
}
