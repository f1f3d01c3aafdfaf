/**
 * The launcher's state and effects: parse the link, take the meeting, config and first words from
 * the page itself (a first visit) or load them in parallel (a page from the service worker), try
 * the desktop app, and move between screens. The config is the page's config store, which
 * telemetry follows on its own (../track.ts).
 */
import type { ApiError, MeetingInfo } from '../../shared/api-schema';
import type { BootData } from '../../shared/boot';
import type { WebServiceConfig } from '../../shared/config-page';
import { negotiateLocale, personalLocale } from '../../shared/locale';
import { linkMatchesOrganizer, type MeetingRef, parseMeetingPath } from '../../shared/meeting-url';
import { afterFirstPaint, afterLoad } from '../after-load';
import { fetchEffectiveConfig } from '../config/effective-config';
import type { ConfigStore } from '../config/state';
import { loadLocale, speakFirstScreen } from '../i18n/t';
import { type ApiResult, lookupMeeting } from '../meeting-api';
import { organizerKeyFrom } from '../organizer-key';
import { type LaunchQuery, readLaunchQuery } from '../page-query';
import { createStore } from '../store';
import { track } from '../track';
import { type AppLinks, appLinks } from './app-links';
import { attemptDesktopLaunch, type LaunchAttempt } from './desktop-launch';
import { planJoin } from './plan';
import { detectPlatform, type Platform } from './platform';
import { forgetBrowserChoice, prefersBrowser, rememberBrowserChoice } from './preference';

export type Screen = 'loading' | 'launcher' | 'error' | 'shell';
export type DesktopState = 'idle' | 'trying' | 'opened' | 'failed';

export interface LauncherState {
  screen: Screen;
  ref?: MeetingRef;
  meeting?: MeetingInfo;
  errorCode?: string;
  /** When the meeting ended (meeting-ended screen). */
  endedAt?: number;
  platform: Platform;
  links?: AppLinks;
  desktop: DesktopState;
  optionsOpen: boolean;
  prefersBrowser: boolean;
}

export const launcherStore = createStore<LauncherState>({
  screen: 'loading',
  platform: 'desktop',
  desktop: 'idle',
  optionsOpen: false,
  prefersBrowser: false,
});

let query: LaunchQuery = { skipLaunch: false, lang: null };
let configStore: ConfigStore;
let configReady: Promise<unknown> = Promise.resolve();
let localeReady: Promise<void> = Promise.resolve();
/** The lookup's answer that came with the page, used once (a retry asks the network). */
let bootLookup: ApiResult<MeetingInfo> | undefined;
let attempt: LaunchAttempt | undefined;

const config = (): WebServiceConfig => configStore.get().config;

/** The person's language if the browser or ?lang= names one; only otherwise wait for the pool's. */
async function chooseLocale(): Promise<void> {
  const personal = personalLocale(query.lang, navigator.languages ?? []);
  if (!personal) await configReady;
  await loadLocale(personal ?? negotiateLocale(null, [], config().DefaultLanguage));
}

/** The page came with its first screen: speak it now, and fetch the rest of the catalog after. */
function takeBoot(boot: BootData): void {
  speakFirstScreen(boot.locale, boot.messages);
  localeReady = Promise.resolve();
  // Screens past the first (phone panel, shell) need the whole catalog: re-render once it is here.
  afterFirstPaint(() => void loadLocale(boot.locale).then(() => launcherStore.update({})));
  const { status, body } = boot.lookup;
  const code = (body as Partial<ApiError> | null)?.code;
  bootLookup =
    status === 200
      ? { ok: true, value: body as MeetingInfo }
      : { ok: false, status, code: typeof code === 'string' ? code : 'unexpected', detail: body };
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

function showLauncher(meeting: MeetingInfo): void {
  const { AutoLaunchDesktopClient, ShowAlternateJoinOptionsExpanded, DesktopClientScheme, DownloadUrl } = config();
  const { platform } = launcherStore.get();
  const chosenBrowser = prefersBrowser();
  const plan = planJoin({
    skipLaunch: query.skipLaunch,
    platform,
    autoLaunchDesktopClient: AutoLaunchDesktopClient,
    prefersBrowser: chosenBrowser,
    showAlternateJoinOptionsExpanded: ShowAlternateJoinOptionsExpanded,
  });
  const links = appLinks(platform, DesktopClientScheme, meeting.conferenceUri, DownloadUrl);
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
  if (plan.launchDesktop) afterLoad(() => startDesktopAttempt(links.open));
}

function showLookup(ref: MeetingRef, result: ApiResult<MeetingInfo>): void {
  if (!result.ok) showError(result);
  else if (!linkMatchesOrganizer(ref, result.value.organizerUri)) {
    showError({ ok: false, status: 404, code: 'meeting-not-found' });
  } else showLauncher(result.value);
}

async function loadMeeting(ref: MeetingRef): Promise<void> {
  // Nothing shows until the words are there too.
  const [result] = await Promise.all([lookupMeeting(ref), configReady, localeReady]);
  showLookup(ref, result);
}

/**
 * Starts the launcher for the page's own location. Called once, from the entry, with the page's
 * config store, its first reading (`configRead`) and what the page brought with it, if anything.
 */
export function startLauncher(
  location: Location,
  store: ConfigStore,
  configRead: Promise<unknown>,
  boot: BootData | undefined,
): void {
  query = readLaunchQuery(location.search);
  configStore = store;
  configReady = configRead;
  launcherStore.update({ platform: detectPlatform(navigator.userAgent, navigator.maxTouchPoints ?? 0) });
  if (boot) takeBoot(boot);
  else localeReady = chooseLocale();
  const parsed = parseMeetingPath(location.pathname);
  if (!parsed.ok) {
    void localeReady.then(() => launcherStore.update({ screen: 'error', errorCode: parsed.code }));
    return;
  }
  launcherStore.update({ ref: parsed.meeting });
  // With its first screen in the page, the launcher is ready before its first render: the first
  // paint is the meeting, not an empty card.
  if (bootLookup) showLookup(parsed.meeting, bootLookup);
  else void loadMeeting(parsed.meeting);
  bootLookup = undefined;
}

export function retryLookup(): void {
  const { ref } = launcherStore.get();
  if (!ref) return;
  launcherStore.update({ screen: 'loading' });
  // A page that started offline runs on product defaults: read the pool's own config again before
  // the launcher shows, or it would try the app where the pool turned that off.
  if (configStore.get().telemetry === 'unknown') configReady = fetchEffectiveConfig().then(configStore.set);
  void loadMeeting(ref);
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
  if (!config().AllowAnonymousJoin && !organizerKeyFrom(window.location.hash)) {
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
