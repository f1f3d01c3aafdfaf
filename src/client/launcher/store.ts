/**
 * The launcher's state and effects: parse the link, start the config, meeting and catalog loads in
 * parallel, apply the telemetry flag, try the desktop app, and move between screens.
 */
import type { MeetingInfo } from '../../shared/api-schema';
import { PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-page';
import { linkMatchesOrganizer, type MeetingRef, parseMeetingPath } from '../../shared/meeting-url';
import { type ApiResult, lookupMeeting } from '../conference-api';
import { fetchEffectiveConfig, lastConfigReadSucceeded } from '../config/effective-config';
import { watchEffectiveConfig } from '../config/watch';
import { negotiateLocale, personalLocale } from '../i18n/negotiate';
import { loadLocale } from '../i18n/t';
import { organizerKeyFrom } from '../meeting/organizer-key';
import { createStore } from '../store';
import { applyTelemetryFlag, track } from '../track';
import { type AppLinks, appLinks } from './app-links';
import { attemptDesktopLaunch, type LaunchAttempt } from './desktop-launch';
import { planJoin } from './plan';
import { detectPlatform, type Platform } from './platform';
import { forgetBrowserChoice, prefersBrowser, rememberBrowserChoice } from './preference';
import { type LaunchQuery, readLaunchQuery } from './query';

export type Screen = 'loading' | 'launcher' | 'error' | 'shell';
export type DesktopState = 'idle' | 'trying' | 'opened' | 'failed';

export interface LauncherState {
  screen: Screen;
  ref?: MeetingRef;
  meeting?: MeetingInfo;
  errorCode?: string;
  /** When the meeting ended (meeting-ended screen). */
  endedAt?: number;
  config: WebServiceConfig;
  platform: Platform;
  links?: AppLinks;
  desktop: DesktopState;
  optionsOpen: boolean;
  prefersBrowser: boolean;
}

export const launcherStore = createStore<LauncherState>({
  screen: 'loading',
  config: { ...PRODUCT_DEFAULTS },
  platform: 'desktop',
  desktop: 'idle',
  optionsOpen: false,
  prefersBrowser: false,
});

let query: LaunchQuery = { skipLaunch: false, lang: null };
let configReady: Promise<WebServiceConfig> = Promise.resolve({ ...PRODUCT_DEFAULTS });
let localeReady: Promise<void> = Promise.resolve();
let attempt: LaunchAttempt | undefined;

function applyConfig(config: WebServiceConfig): void {
  launcherStore.update({ config });
  void applyTelemetryFlag(config.MeetingUxEnableTelemetry, { endpoint: config.TelemetryEndpoint });
}

/** The person's language if the browser or ?lang= names one; only otherwise wait for the pool's. */
async function chooseLocale(): Promise<void> {
  const personal = personalLocale(query.lang, navigator.languages ?? []);
  const config = personal ? undefined : await configReady;
  await loadLocale(personal ?? negotiateLocale(null, [], config?.DefaultLanguage ?? ''));
}

function showError(result: Extract<ApiResult<unknown>, { ok: false }>): void {
  const endedAt = (result.detail as { endedAt?: unknown } | undefined)?.endedAt;
  launcherStore.update({
    screen: 'error',
    errorCode: result.code,
    endedAt: typeof endedAt === 'number' ? endedAt : undefined,
  });
  track.error({ code: `lookup:${result.code}`, message: `Meeting lookup failed (${result.status})` });
}

function showLauncher(meeting: MeetingInfo, config: WebServiceConfig): void {
  const { platform } = launcherStore.get();
  const chosenBrowser = prefersBrowser();
  const plan = planJoin({
    skipLaunch: query.skipLaunch,
    platform,
    autoLaunchDesktopClient: config.AutoLaunchDesktopClient,
    prefersBrowser: chosenBrowser,
    showAlternateJoinOptionsExpanded: config.ShowAlternateJoinOptionsExpanded,
  });
  const links = appLinks(platform, config.DesktopClientScheme, meeting.conferenceUri, config.DownloadUrl);
  track.meeting({ federationPartner: meeting.federationDomain });
  launcherStore.update({
    screen: 'launcher',
    meeting,
    links,
    errorCode: undefined,
    prefersBrowser: chosenBrowser,
    optionsOpen: plan.optionsOpen,
    desktop: 'idle',
  });
  if (plan.launchDesktop) startDesktopAttempt(links.open);
}

async function loadMeeting(ref: MeetingRef): Promise<void> {
  // Nothing shows until the words are there too.
  const [result, config] = await Promise.all([lookupMeeting(ref), configReady, localeReady]);
  if (!result.ok) return showError(result);
  if (!linkMatchesOrganizer(ref, result.value.organizerUri)) {
    return showError({ ok: false, status: 404, code: 'meeting-not-found' });
  }
  showLauncher(result.value, config);
}

/** Starts the launcher for the page's own location. Called once, from the entry. */
export function startLauncher(location: Location): void {
  query = readLaunchQuery(location.search);
  launcherStore.update({ platform: detectPlatform(navigator.userAgent, navigator.maxTouchPoints ?? 0) });
  configReady = fetchEffectiveConfig().then((config) => {
    applyConfig(config);
    watchEffectiveConfig(applyConfig);
    return config;
  });
  localeReady = chooseLocale();
  const parsed = parseMeetingPath(location.pathname);
  if (!parsed.ok) {
    void localeReady.then(() => launcherStore.update({ screen: 'error', errorCode: parsed.code }));
    return;
  }
  launcherStore.update({ ref: parsed.meeting });
  void loadMeeting(parsed.meeting);
}

export function retryLookup(): void {
  const { ref } = launcherStore.get();
  if (!ref) return;
  launcherStore.update({ screen: 'loading' });
  // A page that started offline is running on product defaults: read the pool's own config again
  // before the launcher shows, or it would try the app where the pool turned that off.
  if (!lastConfigReadSucceeded()) configReady = fetchEffectiveConfig().then(applyConfigAndReturn);
  void loadMeeting(ref);
}

function applyConfigAndReturn(config: WebServiceConfig): WebServiceConfig {
  applyConfig(config);
  return config;
}

/** `navigateTo` undefined: a link the person clicked opens the app itself. */
export function startDesktopAttempt(navigateTo?: string): void {
  attempt?.cancel();
  launcherStore.update({ desktop: 'trying' });
  const mine = attemptDesktopLaunch(navigateTo);
  attempt = mine;
  void mine.outcome.then((outcome) => {
    if (attempt !== mine) return;
    attempt = undefined;
    launcherStore.update(outcome === 'opened' ? { desktop: 'opened' } : { desktop: 'failed', optionsOpen: true });
  });
}

export function toggleOptions(): void {
  launcherStore.update({ optionsOpen: !launcherStore.get().optionsOpen });
}

export function joinInBrowser(alwaysBrowser: boolean): void {
  attempt?.cancel();
  attempt = undefined;
  // Guests are refused here at once; the organizer's own link (its key in the fragment) still joins.
  if (!launcherStore.get().config.AllowAnonymousJoin && !organizerKeyFrom(window.location.hash)) {
    launcherStore.update({ screen: 'error', errorCode: 'anonymous-join-not-allowed', desktop: 'idle' });
    return;
  }
  if (alwaysBrowser) rememberBrowserChoice();
  launcherStore.update({ screen: 'shell', desktop: 'idle', prefersBrowser: alwaysBrowser || prefersBrowser() });
}

export function forgetBrowser(): void {
  forgetBrowserChoice();
  launcherStore.update({ prefersBrowser: false });
}

export function backToOptions(): void {
  launcherStore.update({ screen: 'launcher', errorCode: undefined, optionsOpen: true });
}
