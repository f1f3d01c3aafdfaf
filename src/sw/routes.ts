/**
 * Which requests the worker leaves alone. These paths are never cached and never answered from a
 * cache: the worker does not even call `respondWith` for them, so the browser goes straight to the
 * network. The pool's config must be fresh on every load (an admin's flag change is seen at once),
 * the conference API is live (its event stream included), and the telemetry ingest is not ours to
 * replay.
 */
import { SERVICE_PATH } from '../shared/constants';

export const NETWORK_ONLY_PATH = SERVICE_PATH;

const NETWORK_ONLY_EXACT = new Set(['/healthz', '/sw.js']);

export function isNetworkOnly(pathname: string): boolean {
  if (NETWORK_ONLY_EXACT.has(pathname)) return true;
  return NETWORK_ONLY_PATH.test(pathname);
}

/** Headers the worker refreshes from the network on cached navigations: they follow the pool's config. */
export const SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'strict-transport-security',
  'permissions-policy',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'x-content-type-options',
  'x-frame-options',
] as const;
