/** `npm run bench` gives every bench a deadline: a hung bench fails with its name, a quick one is untouched. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlinePassed, withDeadline } from '../../bench/deadline';

describe('bench deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects a bench that never settles once its deadline passes', async () => {
    vi.useFakeTimers();
    const hung = withDeadline(new Promise<never>(() => {}), 30, 'join latency');
    const outcome = hung.then(
      () => 'settled',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(29_999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(DeadlinePassed);
    expect((error as Error).message).toBe('join latency: no result within its 30 s deadline');
  });

  it('passes a result through and leaves no timer behind', async () => {
    vi.useFakeTimers();
    await expect(withDeadline(Promise.resolve([1, 2]), 30, 'bundle size')).resolves.toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a bench error through as itself', async () => {
    const failure = new Error('no Chromium');
    await expect(withDeadline(Promise.reject(failure), 30, 'lighthouse')).rejects.toBe(failure);
  });
});
