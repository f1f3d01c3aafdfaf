/**
 * When a connection restarts ICE after a failure: one side only (no offer collision), and never
 * giving up while the connection lives, slower once the quick restarts failed too.
 */
import { describe, expect, it } from 'vitest';
import {
  IceRestarts,
  MAX_RESTART_PAUSE_MS,
  POLITE_WAIT_MS,
  QUICK_RESTARTS,
  type RestartPort,
  SLOW_RESTART_MS,
  type Timers,
} from '../../src/client/media/ice-restarts';

/** Timers moved by hand. */
class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  readonly #due = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#due.set(id, { at: this.now + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const [id, first] = [...this.#due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !first || first.at > until) break;
      this.#due.delete(id);
      this.now = first.at;
      first.run();
    }
    this.now = until;
  }
}

/** A connection: its state, the other side's ufrag, and the restarts asked of it (with their time). */
class Connection implements RestartPort {
  connectionState = 'connected';
  ufrag = 'remote-1';
  restarts: number[] = [];

  constructor(private readonly timers: ManualTimers) {}

  remoteUfrag(): string | undefined {
    return this.ufrag;
  }

  restartIce(): void {
    this.restarts.push(this.timers.now);
  }
}

function setup(polite: boolean) {
  const timers = new ManualTimers();
  const connection = new Connection(timers);
  const reports: number[] = [];
  const restarts = new IceRestarts(connection, polite, { stillFailing: () => reports.push(timers.now) }, timers);
  const fail = () => {
    connection.connectionState = 'failed';
    restarts.failed();
  };
  return { timers, connection, reports, restarts, fail };
}

describe('ICE restarts after a failure', () => {
  it('the impolite side restarts at once', () => {
    const { connection, fail } = setup(false);
    fail();
    expect(connection.restarts).toEqual([0]);
  });

  it('the polite side leaves the restart to the other side when it comes (no offer collision)', () => {
    const { timers, connection, fail } = setup(true);
    fail();
    expect(connection.restarts).toEqual([]);
    timers.advance(1_000);
    connection.ufrag = 'remote-2'; // the other side's restart offer was applied
    connection.connectionState = 'disconnected';
    timers.advance(POLITE_WAIT_MS);
    expect(connection.restarts).toEqual([]);
  });

  it('the polite side restarts itself when the other side does not', () => {
    const { timers, connection, fail } = setup(true);
    fail();
    timers.advance(POLITE_WAIT_MS - 1);
    expect(connection.restarts).toEqual([]);
    timers.advance(1);
    expect(connection.restarts).toEqual([POLITE_WAIT_MS]);
  });

  it('no restart once the connection came back by itself', () => {
    const { timers, connection, restarts, fail } = setup(true);
    fail();
    connection.connectionState = 'connected';
    restarts.connected();
    timers.advance(60_000);
    expect(connection.restarts).toEqual([]);
  });

  it('never gives up: past the quick restarts it reports the outage once and keeps trying, slower', () => {
    const { timers, connection, reports, fail } = setup(false);
    const failAfter = (ms: number) => {
      timers.advance(ms);
      fail();
    };
    fail();
    for (let i = 1; i < QUICK_RESTARTS; i++) failAfter(15_000);
    expect(connection.restarts).toEqual(Array.from({ length: QUICK_RESTARTS }, (_, i) => i * 15_000));
    expect(reports).toEqual([]);
    // The quick restarts failed as well: reported once, and the next restarts wait longer each time.
    const pauses: number[] = [];
    for (let i = 0; i < 6; i++) {
      failAfter(15_000);
      const failedAt = timers.now;
      const before = connection.restarts.length;
      timers.advance(MAX_RESTART_PAUSE_MS);
      expect(connection.restarts).toHaveLength(before + 1);
      pauses.push((connection.restarts.at(-1) as number) - failedAt);
    }
    expect(pauses).toEqual([
      SLOW_RESTART_MS,
      SLOW_RESTART_MS * 2,
      SLOW_RESTART_MS * 4,
      MAX_RESTART_PAUSE_MS,
      MAX_RESTART_PAUSE_MS,
      MAX_RESTART_PAUSE_MS,
    ]);
    expect(reports).toHaveLength(1);
  });

  it('once the connection worked again, a new outage starts with quick restarts and is reported anew', () => {
    const { timers, connection, reports, restarts, fail } = setup(false);
    for (let i = 0; i <= QUICK_RESTARTS; i++) fail();
    timers.advance(MAX_RESTART_PAUSE_MS);
    expect(reports).toHaveLength(1);
    connection.connectionState = 'connected';
    restarts.connected();
    const before = connection.restarts.length;
    fail();
    expect(connection.restarts).toHaveLength(before + 1);
    for (let i = 0; i < QUICK_RESTARTS; i++) fail();
    expect(reports).toHaveLength(2);
  });

  it('the event stream coming back restarts a failed connection without waiting for the slow pause', () => {
    const { timers, connection, restarts, fail } = setup(false);
    for (let i = 0; i <= QUICK_RESTARTS; i++) fail();
    const before = connection.restarts.length;
    timers.advance(1_000);
    restarts.resumed();
    expect(connection.restarts).toHaveLength(before + 1);
    // ...and the slow restart that was planned does not come on top of it.
    timers.advance(MAX_RESTART_PAUSE_MS);
    expect(connection.restarts).toHaveLength(before + 1);
  });

  it('a working connection is left alone when the event stream comes back', () => {
    const { connection, restarts } = setup(false);
    restarts.resumed();
    expect(connection.restarts).toEqual([]);
  });

  it('a closed connection is never restarted', () => {
    const { timers, connection, restarts, fail } = setup(true);
    fail();
    restarts.close();
    timers.advance(60_000);
    restarts.failed();
    restarts.resumed();
    timers.advance(60_000);
    expect(connection.restarts).toEqual([]);
  });
});
