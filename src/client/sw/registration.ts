/**
 * The lazy half of sw-bridge.ts (only the bridge imports it): registers the worker with
 * workbox-window, watches for new versions, and applies one when the bridge says the page is at a
 * break. See sw-bridge.ts for the update policy.
 */
import { Workbox } from 'workbox-window';

export type Phase = 'launcher' | 'meeting' | 'after';
export interface BridgeState {
  phase: Phase;
}

export const SW_URL = '/sw.js';
const MEETING_LOCK = 'meet-launcher:in-meeting';
const UPDATE_CHECK_MS = 60 * 60_000;

let releaseLock: (() => void) | undefined;

/**
 * What the worker machinery last did, on <html data-sw-state> for QA and debugging:
 * `registered`, `update-held` (a new version waits: a tab is in a meeting), `update-applied`.
 */
function report(state: 'registered' | 'update-held' | 'update-applied'): void {
  document.documentElement.dataset.swState = state;
}
let workbox: Workbox | undefined;

interface TrustedTypesLike {
  createPolicy(
    name: string,
    rules: { createScriptURL(url: string): string },
  ): { createScriptURL(url: string): unknown };
}

/** The CSP requires Trusted Types for script URLs; this policy (named in the CSP) allows only ours. */
function trustedWorkerUrl(): string {
  const factory = (window as unknown as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!factory) return SW_URL;
  const policy = factory.createPolicy('sw-bridge', {
    createScriptURL(url) {
      if (url !== SW_URL) throw new TypeError('sw-bridge registers only the app’s own worker');
      return url;
    },
  });
  return policy.createScriptURL(SW_URL) as string;
}

function afterPaint(): Promise<void> {
  const loaded =
    document.readyState === 'complete'
      ? Promise.resolve()
      : new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  return loaded.then(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/** This tab is in a meeting: a shared lock other tabs see through `navigator.locks.query()`. */
export function holdMeetingLock(): void {
  if (releaseLock || !navigator.locks) return;
  void navigator.locks.request(
    MEETING_LOCK,
    { mode: 'shared' },
    () => new Promise<void>((resolve) => (releaseLock = resolve)),
  );
}

async function anyTabInMeeting(state: BridgeState): Promise<boolean> {
  if (state.phase === 'meeting') return true;
  if (!navigator.locks) return false;
  const { held = [] } = await navigator.locks.query();
  return held.some((lock) => lock.name === MEETING_LOCK);
}

/** Applies a waiting worker if no tab is in a meeting; the caller has checked this page is at a break. */
export async function applyWaitingUpdate(state: BridgeState): Promise<boolean> {
  if (state.phase !== 'meeting') {
    releaseLock?.();
    releaseLock = undefined;
  }
  const registration = workbox && (await navigator.serviceWorker.getRegistration('/'));
  if (!registration?.waiting) return false;
  if (await anyTabInMeeting(state)) {
    report('update-held');
    return false;
  }
  // workbox-window's own message (`{ type: 'SKIP_WAITING' }` to the registration's waiting worker).
  workbox?.messageSkipWaiting();
  report('update-applied');
  return true;
}

export async function register(state: BridgeState): Promise<void> {
  if (state.phase === 'meeting') holdMeetingLock();
  await afterPaint();
  workbox = new Workbox(trustedWorkerUrl(), { scope: '/', updateViaCache: 'none' });
  let hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // A new version took over (applied here or in another tab): a launcher page reloads into it.
    if (hadController && state.phase === 'launcher') window.location.reload();
    hadController = true;
  });
  const registration = await workbox.register();
  report('registered');
  // Not workbox-window's `waiting` event: it reports a version another tab installed only once
  // (as "external"), and a later one not at all, while an update must be applied at this tab's next
  // break whichever tab installed it. The registration itself sees every new version.
  const onWaiting = () => {
    if (state.phase !== 'meeting') void applyWaitingUpdate(state);
  };
  if (registration?.waiting) onWaiting();
  registration?.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && registration.waiting === installing) onWaiting();
    });
  });
  const check = () => void workbox?.update().catch(() => undefined);
  setInterval(check, UPDATE_CHECK_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}
