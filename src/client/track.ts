/**
 * The one narrow telemetry interface the app calls. It is a no-op until the pool's flag is known
 * to be exactly `true`: before that, calls wait in memory only (no storage, no request, no
 * telemetry code loaded) and are dropped the moment the flag is known off.
 */
import type { TelemetryClient, TelemetryOptions } from './telemetry/client';
import type { ErrorReport, MeetingContext } from './telemetry/events';

type Call = (client: TelemetryClient) => void;

const MAX_PENDING_CALLS = 200;
let state: 'unknown' | 'off' | 'on' = 'unknown';
let generation = 0;
let client: TelemetryClient | undefined;
let pending: Call[] = [];

function dispatch(call: Call): void {
  if (client) call(client);
  else if (state !== 'off' && pending.length < MAX_PENDING_CALLS) pending.push(call);
}

export const track = {
  /** A submitted join (join-submit). */
  joinAttempt: () => dispatch((c) => c.usage('joinAttempt', 1)),
  /** Arriving in the meeting, directly or through the lobby. */
  joinSuccess: () => dispatch((c) => c.usage('joinSuccess', 1)),
  meetingMinutes: (minutes: number) => dispatch((c) => c.usage('meetingMinutes', minutes)),
  imSent: () => dispatch((c) => c.usage('imSent', 1)),
  imReceived: () => dispatch((c) => c.usage('imReceived', 1)),
  error: (report: ErrorReport) => dispatch((c) => c.error(report)),
  meeting: (context: MeetingContext) => dispatch((c) => c.setMeeting(context)),
};

/** Applies the pool's flag as last read; safe to call again whenever the config is re-read. */
export async function applyTelemetryFlag(enabled: boolean, options: TelemetryOptions): Promise<void> {
  if (!enabled) {
    state = 'off';
    generation++;
    pending = [];
    client?.stop();
    client = undefined;
    return;
  }
  if (state === 'on') return;
  state = 'on';
  const mine = ++generation;
  const { startTelemetry } = await import('./telemetry/client');
  if (mine !== generation) return; // switched off while the chunk was loading
  client = startTelemetry(options, () => applyTelemetryFlag(false, options));
  for (const call of pending) call(client);
  pending = [];
}
