/**
 * The one door to the attendees' privacy notice, a lazy chunk loaded when `privacy-link` is
 * pressed: the notice, the list of what is sent (generated from the telemetry schema at build
 * time, ./privacy/collected.ts), its words per language and its stylesheet all stay off the
 * launcher's critical path.
 */
export { openPrivacyNotice } from './privacy/open';
