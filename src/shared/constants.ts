/** Names and limits that page and server must agree on. */
export const APP_NAME = 'meet-launcher';
export const CONFIG_PATH = '/config/webservice.json';
export const TELEMETRY_PATH = '/telemetry/v1/batch';
export const API_PREFIX = '/api/v1';

/** A telemetry batch's limits; every other telemetry limit is in telemetry-limits.ts. */
export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 64 * 1024;
export const MAX_DISPLAY_NAME_LENGTH = 64;
export const MAX_CHAT_MESSAGE_LENGTH = 2000;

/**
 * The server's own path prefixes: machine endpoints, never a page. The server (rate limits, JSON
 * errors, odd-path refusals), the service worker (never cached) and Vite's dev proxy all use this
 * one list.
 */
export const SERVICE_PREFIXES = ['/api', '/config', '/telemetry'] as const;
export const ASSETS_PREFIX = '/assets';

const prefixPattern = (prefixes: readonly string[]) => new RegExp(`^(?:${prefixes.join('|')})(?:/|$)`, 'i');

/** `/api`, `/config/...`, `/telemetry/...`, in any case (raw paths are checked before routing). */
export const SERVICE_PATH: RegExp = prefixPattern(SERVICE_PREFIXES);
/** The same, and the built assets: paths of files and endpoints, never a meeting link. */
export const RESOURCE_PATH: RegExp = prefixPattern([...SERVICE_PREFIXES, ASSETS_PREFIX]);
