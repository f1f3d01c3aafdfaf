/** Open pages re-read the pool's config every 5 minutes and when they become visible again. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchEffectiveConfig, lastConfigReadSucceeded } from '../../src/client/config/effective-config';
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
    const seen: boolean[] = [];
    const stop = watchEffectiveConfig((c) => seen.push(c.MeetingUxEnableTelemetry));
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
    expect(seen).toEqual([true, true]);
    stop();
    await vi.advanceTimersByTimeAsync(CONFIG_REFRESH_MS * 3);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});

describe('fetchEffectiveConfig', () => {
  it('fails closed, and says whether the pool answered', async () => {
    expect((await fetchEffectiveConfig()).MeetingUxEnableTelemetry).toBe(true);
    expect(lastConfigReadSucceeded()).toBe(true);
    answer = async () => new Response('{"MeetingUxEnableTelemetry":"true"}', { status: 200 });
    expect((await fetchEffectiveConfig()).MeetingUxEnableTelemetry).toBe(false);
    expect(lastConfigReadSucceeded()).toBe(true); // the pool answered: off means off
    for (const broken of [
      async () => new Response('{"MeetingUxEnableTelemetry":true}', { status: 500 }),
      async () => new Response('{"MeetingUxEnableTelemetry":tr', { status: 200 }),
      async () => Promise.reject(new TypeError('offline')),
    ]) {
      answer = broken;
      expect((await fetchEffectiveConfig()).MeetingUxEnableTelemetry).toBe(false);
      expect(lastConfigReadSucceeded()).toBe(false);
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
    expect((await reading).MeetingUxEnableTelemetry).toBe(false);
    expect(lastConfigReadSucceeded()).toBe(false);
  });
});
