/**
 * What the server puts into the page it sends for a meeting link on a first visit, so the first
 * screen paints from the first response: the meeting lookup's answer, the pool's effective config
 * and the first screen's messages in the negotiated language. It travels as inert JSON
 * (`<script type="application/json">`, never executed, so the CSP and Trusted Types are untouched)
 * and the page reads it once. A page from the service worker's precache has none and asks the
 * network, as before.
 */
import type { SupportedLocale } from './config-page';

export const BOOT_ELEMENT_ID = 'boot';

export interface BootData {
  /** The meeting lookup as `GET /api/v1/meetings/...` would answer: its status and body. */
  lookup: { status: number; body: unknown };
  /** `GET /config/webservice.json`'s body (the page reads it with `readEffectiveConfig`). */
  config: unknown;
  locale: SupportedLocale;
  /** The first screen's messages (launcher and error screens); the rest loads after the paint. */
  messages: Record<string, string>;
}

/** Message keys the launcher and error screens show before anything is clicked. */
export const FIRST_SCREEN_MESSAGE =
  /^(?:loading|joinMeetingTitle|organizedBy|joinWeb|joinDesktop|desktop\w+|moreOptions|alwaysBrowser\w*|downloadApp\w*|joinPhone|errorTitle|error\.[\w-]+|meetingEndedAt|offlineAutoRetry|retry|backToOptions)$/;

/**
 * JSON that cannot end the script element it sits in, nor open a comment or CDATA section there:
 * every `<` (and the line separators some parsers treat as line ends) is written as an escape.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
