/**
 * Forwards uncaught errors and unhandled promise rejections to `track.error`, which does nothing
 * unless the pool's flag is on (the telemetry client then bounds, trims and scrubs them).
 * Imported once, for its effect, by the entry.
 */
import { track } from './track';

function describeReason(reason: unknown): { message: string; stack?: string } {
  if (reason instanceof Error) return { message: `${reason.name}: ${reason.message}`, stack: reason.stack };
  return { message: typeof reason === 'string' ? reason : Object.prototype.toString.call(reason) };
}

window.addEventListener('error', (event) => {
  const { message, stack } = event.error === undefined ? { message: event.message } : describeReason(event.error);
  track.error({ code: 'uncaught-error', message: message || 'Script error', stack, direction: 'none' });
});

window.addEventListener('unhandledrejection', (event) => {
  track.error({ code: 'unhandled-rejection', ...describeReason(event.reason), direction: 'none' });
});
