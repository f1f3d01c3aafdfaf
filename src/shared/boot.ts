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
  /** The first screen's messages (the launcher's, or the error screen's); the rest loads after the paint. */
  messages: Record<string, string>;
}

/**
 * Message keys each first screen shows before anything is clicked: the launcher's when the lookup
 * found the meeting, the error screen's otherwise. Only one set travels, to keep the page small.
 */
export const FIRST_SCREEN_MESSAGES = {
  // The app attempt's outcome shows 2.5 s later at the earliest, with the whole catalog loaded.
  launcher:
    /^(?:joinMeetingTitle|organizedBy|joinWeb|joinDesktop|desktopOpening|moreOptions|alwaysBrowser(?:Set|Forget)?|downloadApp\w*|joinPhone|privacyLink)$/,
  error: /^(?:joinMeetingTitle|errorTitle|error\.[\w-]+|meetingEndedAt|offlineAutoRetry|retry|backToOptions)$/,
} as const;

export type FirstScreen = keyof typeof FIRST_SCREEN_MESSAGES;

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
