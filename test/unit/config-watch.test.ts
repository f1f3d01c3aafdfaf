/** Open pages re-read the pool's config every 5 minutes and when they become visible again. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchEffectiveConfig } from '../../src/client/config/effective-config';
import { createConfigStore } from '../../src/client/config/state';
import { CONFIG_REFRESH_MS, watchEffectiveConfig } from '../../src/client/config/watch';

let visibility = 'visible';
const listeners = new Map<string, () => void>();
let answer: () => Promise<Response>;
const fetchMock = vi.fn(() => answer());

beforeEach(() => {
  vi.useFakeTimers();
  listeners.clear();
  answer = async () => new Response('{"MeetingUxEnableTelemetry":true}', { status: 200 });
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('document', {
    get visibilityState() {
      return visibility;
    },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('watchEffectiveConfig', () => {
  it('re-reads every 5 minutes and on becoming visible, not on becoming hidden', async () => {
    const seen: string[] = [];
    const store = createConfigStore();
    store.subscribe((s) => seen.push(s.telemetry));
    const stop = watchEffectiveConfig(store);
    await vi.advanceTimersByTimeAsync(CONFIG_REFRESH_MS - 1);
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    visibility = 'hidden';
    listeners.get('visibilitychange')?.();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    visibility = 'visible';
    listeners.get('visibilitychange')?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(['on', 'on']);
    stop();
    await vi.advanceTimersByTimeAsync(CONFIG_REFRESH_MS * 3);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});

describe('fetchEffectiveConfig', () => {
  it('fails closed, and says whether the pool answered', async () => {
    expect((await fetchEffectiveConfig()).telemetry).toBe('on');
    answer = async () => new Response('{"MeetingUxEnableTelemetry":"true"}', { status: 200 });
    const off = await fetchEffectiveConfig();
    expect(off.telemetry).toBe('off'); // the pool answered: off means off
    expect(off.config.MeetingUxEnableTelemetry).toBe(false);
    for (const broken of [
      async () => new Response('{"MeetingUxEnableTelemetry":true}', { status: 500 }),
      async () => new Response('{"MeetingUxEnableTelemetry":tr', { status: 200 }),
      async () => Promise.reject(new TypeError('offline')),
    ]) {
      answer = broken;
      const failed = await fetchEffectiveConfig();
      expect(failed.telemetry).toBe('unknown');
      expect(failed.config.MeetingUxEnableTelemetry).toBe(false);
    }
  });

  it('gives up after the timeout', async () => {
    answer = () => new Promise(() => {});
    fetchMock.mockImplementationOnce(
      (_url?: unknown, init?: { signal?: AbortSignal }) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const reading = fetchEffectiveConfig(3000);
    await vi.advanceTimersByTimeAsync(3000);
    expect((await reading).telemetry).toBe('unknown');
  });
});
