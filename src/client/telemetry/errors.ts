/**
 * Error reports as they are sent: message and stack cut short, web addresses reduced to the
 * script's own file (no host, no meeting path, no query string), at most MAX_ERRORS_PER_SESSION
 * per page session so a loop that throws cannot flood the pool.
 */
import type { EventBody } from '../../shared/telemetry-schema';
import type { ErrorReport } from './events';

export const MAX_ERRORS_PER_SESSION = 20;
export const MAX_MESSAGE = 300;
export const MAX_STACK = 1000;
const MAX_STACK_LINES = 10;

/** `https://host/assets/x.js?v=1:3:7` → `/assets/x.js:3:7`; any other address → `<url>`. */
export function scrubUrls(text: string): string {
  return text.replace(/\b(?:https?|blob|file):\/\/[^\s)'"]*/g, (url) => {
    const asset = /^[a-z]+:\/\/[^/]*(\/assets\/[\w.-]+\.js)(?:\?[^:]*)?((?::\d+){0,2})$/.exec(url);
    return asset ? `${asset[1]}${asset[2]}` : '<url>';
  });
}

const CODE = /^[a-z0-9._:-]{1,64}$/i;

export function errorEvent(report: ErrorReport, userId: string | undefined): EventBody & { type: 'error' } {
  const stack = report.stack && scrubUrls(report.stack).split('\n').slice(0, MAX_STACK_LINES).join('\n');
  const who = report.userId ?? userId;
  return {
    type: 'error',
    code: CODE.test(report.code) ? report.code : 'unknown',
    message: scrubUrls(report.message).slice(0, MAX_MESSAGE),
    ...(stack && { stack: stack.slice(0, MAX_STACK) }),
    ...(report.direction && { direction: report.direction }),
    ...(report.conversationState && { conversationState: report.conversationState.slice(0, 32) }),
    ...(report.threadId && { threadId: report.threadId.slice(0, 64) }),
    ...(who && { userId: who.slice(0, 128) }),
  };
}
