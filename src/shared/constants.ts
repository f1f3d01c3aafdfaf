/** Names and limits that page and server must agree on. */
export const APP_NAME = 'meet-launcher';
export const CONFIG_PATH = '/config/webservice.json';
export const TELEMETRY_PATH = '/telemetry/v1/batch';
export const API_PREFIX = '/api/v1';

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 64 * 1024;
export const MAX_DISPLAY_NAME_LENGTH = 64;
export const MAX_CHAT_MESSAGE_LENGTH = 2000;
