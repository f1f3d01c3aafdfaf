/**
 * When one connection of the mesh restarts ICE after it failed (a network drop or change).
 *
 * - One side restarts, not both. Each side sees `failed` within about a second of the other; if both
 *   called restartIce() their offers would collide and the polite side would roll its own back, and
 *   after such a rollback Chromium can stop showing the remote video (its frames still arrive and are
 *   decoded, the <video> shows none). So the impolite side restarts at once, and the polite side only
 *   if, a moment later, no restart came from the other side (its ICE credentials did not change).
 * - It never gives up while the connection lives (the other person is still in the meeting): the
 *   network may come back at any time, and media must come back with it without anyone doing
 *   anything. The first restarts go at once; once they have failed too, the outage is reported (once)
 *   and the restarts go on, further and further apart.
 *
 * Written against `RestartPort` and injected timers, so it is tested in Node (test/unit/media-ice-restarts.test.ts).
 */
export interface RestartPort {
  readonly connectionState: string;
  /** The other side's ICE username fragment (a new one means it restarted ICE). */
  remoteUfrag(): string | undefined;
  restartIce(): void;
}

export interface RestartEvents {
  /** The quick restarts did not bring the connection back: once per outage. */
  stillFailing(): void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Restarts tried at once after a failure, before the outage is reported and they slow down. */
export const QUICK_RESTARTS = 2;
/** How long the polite side waits for the other's restart before it restarts itself. */
export const POLITE_WAIT_MS = 4_000;
/** The pause before each slow restart: doubling from the first, up to the last. */
export const SLOW_RESTART_MS = 5_000;
export const MAX_RESTART_PAUSE_MS = 30_000;

const browserTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class IceRestarts {
  /** Failures since the connection last worked. */
  #failures = 0;
  #reported = false;
  #timer: unknown;
  #closed = false;

  constructor(
    private readonly port: RestartPort,
    private readonly polite: boolean,
    private readonly on: RestartEvents,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** The connection failed (or negotiating it did): plan a restart. */
  failed(): void {
    if (this.#closed) return;
    this.#failures++;
    const slow = this.#failures - QUICK_RESTARTS - 1;
    if (slow >= 0 && !this.#reported) {
      this.#reported = true;
      this.on.stillFailing();
    }
    const pause = slow >= 0 ? Math.min(MAX_RESTART_PAUSE_MS, SLOW_RESTART_MS * 2 ** slow) : 0;
    this.#plan(pause);
  }

  /** The event stream is back after an outage: signals may have been lost, restart soon. */
  resumed(): void {
    if (this.#closed) return;
    const state = this.port.connectionState;
    if (state === 'failed' || state === 'disconnected') this.#plan(0);
  }

  /** The connection works: the next failure starts a new outage. */
  connected(): void {
    this.#cancel();
    this.#failures = 0;
    this.#reported = false;
  }

  close(): void {
    this.#closed = true;
    this.#cancel();
  }

  #plan(pause: number): void {
    this.#cancel();
    const ufrag = this.port.remoteUfrag();
    const wait = pause + (this.polite ? POLITE_WAIT_MS : 0);
    const restart = () => {
      this.#timer = undefined;
      if (this.#closed || this.port.connectionState === 'connected') return;
      // The other side restarted meanwhile: that restart is under way, a second one would collide.
      if (this.polite && this.port.remoteUfrag() !== ufrag) return;
      this.port.restartIce();
    };
    if (wait === 0) restart();
    else this.#timer = this.timers.setTimeout(restart, wait);
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
