/**
 * The one narrow telemetry interface the app calls. It is a no-op until the pool's flag is known
 * to be exactly `true`: before that, calls wait in memory only (no storage, no request, no
 * telemetry code loaded) and are dropped the moment the flag is known off.
 *
 * Three ways out of "on":
 * - the pool's config says off (or the ingest answers 403): stop, drop everything queued, delete
 *   the persisted queue and forget the DeviceID;
 * - the config could not be read (network, timeout, 5xx, not JSON): stop sending and recording
 *   (fail closed) but keep what was already recorded while on, until a readable answer decides.
 */

import type { EventBody, UsageMetric } from '../shared/telemetry-schema';
import { afterFirstPaint } from './after-load';
import type { ConfigState, ConfigStore, TelemetryVerdict } from './config/state';
import type { TelemetryClient, TelemetryOptions } from './telemetry/client';
import type { ErrorReport, MeetingContext } from './telemetry/events';

type CallQualityBody = Extract<EventBody, { type: 'callQuality' }>;
type DeviceConfigBody = Extract<EventBody, { type: 'deviceConfig' }>;

/**
 * Wipes what telemetry left on the device. The purge is a small chunk of its own, fetched once the
 * first screen is painted (the page has nothing to show that depends on it): the entry stays
 * inside the first TCP window. It still runs on every page that learns the flag is off.
 */
function purgeTelemetryStorage(): Promise<void> {
  return new Promise((resolve) =>
    afterFirstPaint(
      () =>
        void import('./telemetry-storage').then((storage) => storage.purgeTelemetryStorage()).then(resolve, resolve),
    ),
  );
}

type Call = (client: TelemetryClient) => void;

const MAX_PENDING_CALLS = 200;
let state: 'unknown' | 'off' | 'on' = 'unknown';
let generation = 0;
let client: TelemetryClient | undefined;
/** The endpoint the running client sends to. */
let endpoint = '';
let pending: Call[] = [];
/** Who and where, kept so a client started (or restarted) later still knows them. */
const context: { meeting?: MeetingContext; userId?: string } = {};

function dispatch(call: Call): void {
  if (client) call(client);
  else if (state !== 'off' && pending.length < MAX_PENDING_CALLS) pending.push(call);
}

export const track = {
  /**
   * Counts a usage metric (docs/privacy.md, "What is sent"): `joinAttempt` (a join request sent to the
   * service; a press of Join the page refuses is not one), `joinSuccess` (arriving in the meeting,
   * directly or through the lobby), `meetingMinutes`, `imSent`, `imReceived`, `callsMade` (a media
   * session started), `callMinutes`. One method, not one per metric: this module is in the
   * launcher's entry, which has to fit the first TCP window.
   */
  usage: (metric: UsageMetric, value = 1) => dispatch((c) => c.usage(metric, value)),
  error: (report: ErrorReport) => dispatch((c) => c.error(report)),
  /** Per call, sampled quality (RTT, jitter, loss) or device counts (never a label or id). */
  record: (body: CallQualityBody | DeviceConfigBody) => dispatch((c) => c.record(body)),
  /**
   * What is known of the meeting, added to what was: its organizer's SIP domain (the
   * FederationPartner) from the lookup, its conversation id once joined.
   */
  meeting: (meeting: MeetingContext) => {
    if (state !== 'off') context.meeting = { ...context.meeting, ...meeting };
    client?.setMeeting(meeting);
  },
  /**
   * The UserID as the server knows it. For a guest that is the participant id the conference
   * service assigned at join. Sent hashed (SHA-256, product namespace) in the census and as is
   * with error reports, which the ingest hashes (HMAC) before storing.
   */
  user: (userId: string) => {
    if (state !== 'off') context.userId = userId;
    client?.setUser(userId);
  },
};

function stopClient(purge: boolean): void {
  generation++;
  pending = [];
  client?.stop(purge);
  client = undefined;
}

/**
 * Applies the pool's flag as last read; safe to call again whenever the config is re-read. A
 * changed endpoint while on restarts the client on the new one (what is persisted goes with it).
 */
export async function applyTelemetryFlag(verdict: TelemetryVerdict, options: TelemetryOptions): Promise<void> {
  if (verdict === 'off') {
    state = 'off';
    stopClient(true);
    context.meeting = undefined;
    context.userId = undefined;
    await purgeTelemetryStorage();
    return;
  }
  if (verdict === 'unknown') {
    // Unreadable before any "on": stay as we are, hold nothing new. After "on": stop sending and
    // recording, but keep what was recorded while on until a readable answer decides.
    if (state === 'on') {
      state = 'unknown';
      stopClient(false);
    }
    return;
  }
  if (state === 'on' && options.endpoint === endpoint) return;
  if (state === 'on') stopClient(false);
  state = 'on';
  endpoint = options.endpoint;
  const mine = ++generation;
  const { startTelemetry } = await import('./telemetry/client');
  if (mine !== generation) return; // switched off (or moved) while the chunk was loading
  client = startTelemetry(options, context, () => {
    // The ingest answered 403: the pool turned telemetry off since the config was read.
    state = 'off';
    stopClient(true);
    void purgeTelemetryStorage();
  });
  for (const call of pending) call(client);
  pending = [];
}

/** Telemetry follows the page's config store: every reading, on every page (launcher, shell, dial-in). */
export function followTelemetry(store: ConfigStore): void {
  const apply = ({ telemetry, config }: ConfigState) =>
    void applyTelemetryFlag(telemetry, { endpoint: config.TelemetryEndpoint });
  apply(store.get());
  store.subscribe(apply);
}
