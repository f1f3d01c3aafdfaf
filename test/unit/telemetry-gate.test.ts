/** The gate: nothing loads or survives unless the pool's flag is known to be exactly true. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  purge: vi.fn(async () => {}),
  start: vi.fn(),
}));

vi.mock('../../src/client/telemetry-storage', () => ({ purgeTelemetryStorage: mocks.purge }));
vi.mock('../../src/client/telemetry/client', () => ({ startTelemetry: mocks.start }));

function fakeClient() {
  return { usage: vi.fn(), error: vi.fn(), setMeeting: vi.fn(), setUser: vi.fn(), stop: vi.fn() };
}

async function freshTrack() {
  vi.resetModules();
  return import('../../src/client/track');
}

const OPTIONS = { endpoint: '' };

beforeEach(() => {
  mocks.purge.mockClear();
  mocks.start.mockReset();
  // A loaded page: the purge waits for the load (and the first paint, which Node does not time).
  vi.stubGlobal('document', { readyState: 'complete' });
});

afterEach(() => vi.unstubAllGlobals());

describe('track gate', () => {
  it('flag off: held calls are dropped, the client is never loaded, leftovers are purged', async () => {
    const { track, applyTelemetryFlag } = await freshTrack();
    track.usage('joinAttempt');
    track.error({ code: 'x', message: 'y' });
    await applyTelemetryFlag('off', OPTIONS);
    track.usage('imSent');
    expect(mocks.start).not.toHaveBeenCalled();
    expect(mocks.purge).toHaveBeenCalledTimes(1);
    // Still off on the next read: nothing is loaded later either.
    await applyTelemetryFlag('off', OPTIONS);
    expect(mocks.start).not.toHaveBeenCalled();
  });

  it('flag on: calls made before the flag was known reach the client, in order', async () => {
    const client = fakeClient();
    mocks.start.mockReturnValue(client);
    const { track, applyTelemetryFlag } = await freshTrack();
    track.meeting({ federationPartner: 'contoso.com' });
    track.user('participant-7');
    track.usage('joinAttempt');
    track.usage('meetingMinutes', 2.5);
    await applyTelemetryFlag('on', OPTIONS);
    expect(mocks.start).toHaveBeenCalledTimes(1);
    expect(mocks.start.mock.calls[0]?.[1]).toEqual({
      meeting: { federationPartner: 'contoso.com' },
      userId: 'participant-7',
    });
    expect(client.usage.mock.calls).toEqual([
      ['joinAttempt', 1],
      ['meetingMinutes', 2.5],
    ]);
    track.usage('imReceived');
    expect(client.usage).toHaveBeenLastCalledWith('imReceived', 1);
    await applyTelemetryFlag('on', OPTIONS); // a re-read saying on again starts nothing new
    expect(mocks.start).toHaveBeenCalledTimes(1);
  });

  it('on, then off: the client stops with a purge and later calls go nowhere', async () => {
    const client = fakeClient();
    mocks.start.mockReturnValue(client);
    const { track, applyTelemetryFlag } = await freshTrack();
    await applyTelemetryFlag('on', OPTIONS);
    await applyTelemetryFlag('off', OPTIONS);
    expect(client.stop).toHaveBeenCalledWith(true);
    expect(mocks.purge).toHaveBeenCalled();
    track.usage('imSent');
    track.error({ code: 'x', message: 'y' });
    expect(client.usage).not.toHaveBeenCalled();
    expect(client.error).not.toHaveBeenCalled();
  });

  it('switched off while the chunk loads: the client is never started', async () => {
    mocks.start.mockReturnValue(fakeClient());
    const { track, applyTelemetryFlag } = await freshTrack();
    track.usage('joinAttempt');
    const turningOn = applyTelemetryFlag('on', OPTIONS);
    await applyTelemetryFlag('off', OPTIONS);
    await turningOn;
    expect(mocks.start).not.toHaveBeenCalled();
  });

  it('an unreadable config after on pauses without purging; a readable on resumes', async () => {
    const first = fakeClient();
    const second = fakeClient();
    mocks.start.mockReturnValueOnce(first).mockReturnValueOnce(second);
    const { track, applyTelemetryFlag } = await freshTrack();
    await applyTelemetryFlag('on', OPTIONS);
    await applyTelemetryFlag('unknown', OPTIONS);
    expect(first.stop).toHaveBeenCalledWith(false);
    expect(mocks.purge).not.toHaveBeenCalled();
    track.usage('imSent');
    expect(first.usage).not.toHaveBeenCalled();
    await applyTelemetryFlag('on', OPTIONS);
    expect(second.usage).toHaveBeenCalledWith('imSent', 1);
  });

  it('an unreadable config on first load loads nothing and purges nothing', async () => {
    const { applyTelemetryFlag } = await freshTrack();
    await applyTelemetryFlag('unknown', OPTIONS);
    expect(mocks.start).not.toHaveBeenCalled();
    expect(mocks.purge).not.toHaveBeenCalled();
  });

  it('a 403 from the ingest turns everything off and purges', async () => {
    const client = fakeClient();
    mocks.start.mockReturnValue(client);
    const { track, applyTelemetryFlag } = await freshTrack();
    await applyTelemetryFlag('on', OPTIONS);
    const onDisabled = mocks.start.mock.calls[0]?.[2] as () => void;
    onDisabled();
    expect(client.stop).toHaveBeenCalledWith(true);
    await vi.waitFor(() => expect(mocks.purge).toHaveBeenCalled());
    track.usage('joinAttempt');
    expect(client.usage).not.toHaveBeenCalled();
  });

  it('holds at most a bounded number of calls while the flag is unknown', async () => {
    const client = fakeClient();
    mocks.start.mockReturnValue(client);
    const { track, applyTelemetryFlag } = await freshTrack();
    for (let i = 0; i < 1000; i++) track.usage('imSent');
    await applyTelemetryFlag('on', OPTIONS);
    expect(client.usage.mock.calls.length).toBe(200);
  });

  it('a changed TelemetryEndpoint while on moves the client to it, keeping what was recorded', async () => {
    const first = fakeClient();
    const second = fakeClient();
    mocks.start.mockReturnValueOnce(first).mockReturnValueOnce(second);
    const { track, applyTelemetryFlag } = await freshTrack();
    await applyTelemetryFlag('on', OPTIONS);
    await applyTelemetryFlag('on', { endpoint: 'https://telemetry.contoso.test/telemetry/v1/batch' });
    expect(first.stop).toHaveBeenCalledWith(false);
    expect(mocks.purge).not.toHaveBeenCalled();
    expect(mocks.start.mock.calls[1]?.[0]).toEqual({ endpoint: 'https://telemetry.contoso.test/telemetry/v1/batch' });
    track.usage('imSent');
    expect(second.usage).toHaveBeenCalledWith('imSent', 1);
    expect(first.usage).not.toHaveBeenCalled();
  });

  it('follows a config store: every reading applies, and a page that reads "off" purges', async () => {
    const client = fakeClient();
    mocks.start.mockReturnValue(client);
    const { followTelemetry } = await freshTrack();
    const { createConfigStore, configState } = await import('../../src/client/config/state');
    const { PRODUCT_DEFAULTS } = await import('../../src/shared/config-page');
    const store = createConfigStore();
    followTelemetry(store);
    expect(mocks.purge).not.toHaveBeenCalled(); // unknown: nothing decided yet
    store.set(configState({ ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true }));
    await vi.waitFor(() => expect(mocks.start).toHaveBeenCalledTimes(1));
    store.set(configState({ ...PRODUCT_DEFAULTS }));
    await vi.waitFor(() => expect(mocks.purge).toHaveBeenCalledTimes(1));
    expect(client.stop).toHaveBeenCalledWith(true);
  });
});
