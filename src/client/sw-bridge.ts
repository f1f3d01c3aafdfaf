/**
 * The only door to the service worker. It sits in the entry, so it stays tiny: the registration
 * code and workbox-window are a lazy chunk (sw/registration.ts), loaded once the launcher has painted.
 *
 * Update policy: a new worker waits (it never activates by itself) until this page is at a
 * natural break and no open tab of this origin is in a meeting:
 * - on the launcher, before the person starts joining: applied at once, and the page reloads into
 *   the new version (nothing is lost: nothing has been typed or joined yet);
 * - after leaving (`applyUpdateAtBreak()`, called by the shell): applied without a reload (the
 *   shell's code is already loaded; the next visit runs the new version).
 * From opening the shell until leaving, this tab holds a shared Web Lock, so another tab at its
 * own break cannot switch workers under a meeting. Tabs still on the launcher reload when another
 * tab applies an update, so they never ask the new worker for chunks of the old version.
 *
 * Insecure origins (plain http other than localhost/127.0.0.1) have no service worker: all of
 * this is a no-op there and the page works from the network.
 */
import { afterFirstPaint } from './after-load';
import type { Phase } from './sw/registration';

const state: { phase: Phase } = { phase: 'launcher' };
let registration: Promise<typeof import('./sw/registration') | undefined> | undefined;

export function serviceWorkerSupported(): boolean {
  return window.isSecureContext && 'serviceWorker' in navigator;
}

/** Registers the worker (once) after the next paint; a no-op where service workers are unavailable. */
export function registerServiceWorker(): void {
  if (registration || !serviceWorkerSupported()) return;
  // Any failure (chunk not loaded, registration refused: private mode, blocked by policy) leaves
  // the page as it is, working from the network.
  registration = import('./sw/registration')
    .then(async (module) => {
      await module.register(state);
      return module;
    })
    .catch(() => undefined);
}

/** The person has started joining (shell opened or join submitted): no update until they leave. */
export function holdUpdatesDuringMeeting(): void {
  state.phase = 'meeting';
  void registration?.then((module) => module?.holdMeetingLock());
}

/**
 * Call at a natural break: before joining, or after leaving (this ends the meeting hold). Applies
 * a waiting worker unless a tab is in a meeting. Resolves true when an update was applied.
 */
export async function applyUpdateAtBreak(): Promise<boolean> {
  if (state.phase === 'meeting') state.phase = 'after';
  const module = await registration;
  return module ? module.applyWaitingUpdate(state) : false;
}

/** Follows the launcher: registers once it has painted a screen, holds updates once the shell opens. */
export function followLauncher(store: {
  get(): { screen: string };
  subscribe(listener: (value: { screen: string }) => void): unknown;
}): void {
  const onScreen = ({ screen }: { screen: string }) => {
    if (screen === 'shell') holdUpdatesDuringMeeting();
    if (screen !== 'loading') afterFirstPaint(registerServiceWorker);
  };
  onScreen(store.get());
  store.subscribe(onScreen);
}
