/**
 * When the next flush runs: on request (an earlier request wins), never before a backoff after a
 * failure allows, except when the browser comes back online.
 */
import { backoffDelay } from './backoff';

export class FlushScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due = Number.POSITIVE_INFINITY;
  /** Set by a failed attempt: nothing but coming back online may send before it. */
  private notBefore = 0;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly run: () => void) {}

  /** Asks for a flush within `delay` ms. */
  schedule(delay: number): void {
    if (this.stopped) return;
    const due = Math.max(Date.now() + delay, this.notBefore);
    if (this.timer !== undefined && this.due <= due) return;
    clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.due = Number.POSITIVE_INFINITY;
      this.run();
    }, due - Date.now());
  }

  /** A retryable failure: wait longer each time (or as long as the service asked). */
  backOff(retryAfterMs = 0): void {
    this.notBefore = Date.now() + backoffDelay(this.attempt++, retryAfterMs);
    this.schedule(0);
  }

  succeeded(): void {
    this.attempt = 0;
    this.notBefore = 0;
  }

  online(): void {
    this.notBefore = 0;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
