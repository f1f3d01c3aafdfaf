/**
 * Error reports as they are sent: message and stack cut short, web addresses reduced to the
 * script's own file (no host, no meeting path, no query string), at most MAX_ERRORS_PER_SESSION
 * per page session so a loop that throws cannot flood the pool.
 */
import { TELEMETRY_LIMITS as L } from '../../shared/telemetry-limits';
import type { EventBody } from '../../shared/telemetry-schema';
import type { ErrorReport } from './events';

export const MAX_ERRORS_PER_SESSION = 20;
export const MAX_MESSAGE = L.errorMessage;
export const MAX_STACK = L.errorStack;

/** `https://host/assets/x.js?v=1:3:7` → `/assets/x.js:3:7`; any other address → `<url>`. */
export function scrubUrls(text: string): string {
  return text.replace(/\b(?:https?|blob|file):\/\/[^\s)'"]*/g, (url) => {
    const asset = /^[a-z]+:\/\/[^/]*(\/assets\/[\w.-]+\.js)(?:\?[^:]*)?((?::\d+){0,2})$/.exec(url);
    return asset ? `${asset[1]}${asset[2]}` : '<url>';
  });
}

const CODE = new RegExp(`^[a-z0-9._:-]{1,${L.shortText}}$`, 'i');

export function errorEvent(report: ErrorReport, userId: string | undefined): EventBody & { type: 'error' } {
  const stack = report.stack && scrubUrls(report.stack).split('\n').slice(0, L.errorStackLines).join('\n');
  const who = report.userId ?? userId;
  return {
    type: 'error',
    code: CODE.test(report.code) ? report.code : 'unknown',
    message: scrubUrls(report.message).slice(0, MAX_MESSAGE),
    ...(stack && { stack: stack.slice(0, MAX_STACK) }),
    ...(report.direction && { direction: report.direction }),
    ...(report.conversationState && { conversationState: report.conversationState.slice(0, L.conversationState) }),
    ...(report.threadId && { threadId: report.threadId.slice(0, L.threadId) }),
    ...(who && { userId: who.slice(0, L.userId) }),
  };
}
