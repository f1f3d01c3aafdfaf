/**
 * Work run one job at a time per key, in the order it was queued (a meeting's deliveries: a chat
 * never overtakes the roster change before it). A job queued while an identical one (same `kind`)
 * waits at the end of the queue is dropped: the waiting one reads the latest state anyway.
 */
export class SerialQueues {
  readonly #queues = new Map<string, { kind: string; job: () => Promise<void> }[]>();

  constructor(private readonly onError: (error: unknown) => void) {}

  push(key: string, kind: string, job: () => Promise<void>): void {
    let queue = this.#queues.get(key);
    if (queue) {
      // The first entry is running; a later one that equals the new one has not started.
      if (queue.length > 1 && queue.at(-1)?.kind === kind) return;
      queue.push({ kind, job });
      return;
    }
    queue = [{ kind, job }];
    this.#queues.set(key, queue);
    void this.#drain(key, queue);
  }

  /** Resolves when every queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#queues.size > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  async #drain(key: string, queue: { kind: string; job: () => Promise<void> }[]): Promise<void> {
    while (queue.length > 0) {
      try {
        await (queue[0] as { job: () => Promise<void> }).job();
      } catch (error) {
        this.onError(error);
      }
      queue.shift();
    }
    this.#queues.delete(key);
  }
}
