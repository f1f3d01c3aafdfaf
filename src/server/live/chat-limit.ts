/** Messages per participant per minute: a sliding window of send times. */
export interface ChatLimiter {
  /** Counts one send; false when the last minute already holds the maximum. */
  take(): boolean;
}

export function createChatLimiter(maxPerMinute: number, now: () => number): ChatLimiter {
  const times: number[] = [];
  return {
    take() {
      const t = now();
      while (times.length > 0 && (times[0] as number) <= t - 60_000) times.shift();
      if (times.length >= maxPerMinute) return false;
      times.push(t);
      return true;
    },
  };
}
