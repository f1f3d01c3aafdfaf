/**
 * The launcher's state and effects: parse the link, fetch the pool's config and the meeting in
 * parallel, apply the telemetry flag, and move between screens.
 */
import type { MeetingInfo } from '../../shared/api-schema';
import { PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import { type MeetingRef, parseMeetingPath } from '../../shared/meeting-url';
import { lookupMeeting } from '../conference-api';
import { fetchEffectiveConfig } from '../config/effective-config';
import { watchEffectiveConfig } from '../config/watch';
import { createStore } from '../store';
import { applyTelemetryFlag, track } from '../track';

export type Screen = 'loading' | 'launcher' | 'error' | 'shell';

export interface LauncherState {
  screen: Screen;
  ref?: MeetingRef;
  meeting?: MeetingInfo;
  errorCode?: string;
  config: WebServiceConfig;
}

export const launcherStore = createStore<LauncherState>({ screen: 'loading', config: { ...PRODUCT_DEFAULTS } });

function applyConfig(config: WebServiceConfig): void {
  launcherStore.update({ config });
  void applyTelemetryFlag(config.MeetingUxEnableTelemetry, { endpoint: config.TelemetryEndpoint });
}

async function loadMeeting(ref: MeetingRef): Promise<void> {
  const result = await lookupMeeting(ref);
  if (result.ok) {
    track.meeting({ federationPartner: result.value.federationDomain });
    launcherStore.update({ screen: 'launcher', meeting: result.value, errorCode: undefined });
  } else {
    launcherStore.update({ screen: 'error', errorCode: result.code });
    track.error({ code: `lookup:${result.code}`, message: `Meeting lookup failed (${result.status})` });
  }
}

/** Starts the launcher for the page's own location. Called once, from the entry. */
export function startLauncher(location: Location): void {
  void fetchEffectiveConfig().then((config) => {
    applyConfig(config);
    watchEffectiveConfig(applyConfig);
  });
  const parsed = parseMeetingPath(location.pathname);
  if (!parsed.ok) {
    launcherStore.update({ screen: 'error', errorCode: parsed.code });
    return;
  }
  launcherStore.update({ ref: parsed.meeting });
  void loadMeeting(parsed.meeting);
}

export function retryLookup(): void {
  const { ref } = launcherStore.get();
  if (!ref) return;
  launcherStore.update({ screen: 'loading' });
  void loadMeeting(ref);
}

export function openShell(): void {
  launcherStore.update({ screen: 'shell' });
}
