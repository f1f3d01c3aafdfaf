/**
 * Fetches the pool's effective configuration. Fails closed: a timeout, a network error, a non-2xx
 * answer or a body that is not JSON all yield the product defaults, telemetry off.
 */
import { PRODUCT_DEFAULTS, readEffectiveConfig, type WebServiceConfig } from '../../shared/config-page';
import { CONFIG_PATH } from '../../shared/constants';

export const CONFIG_TIMEOUT_MS = 3000;

let lastReadOk = false;

/**
 * Whether the most recent fetch got an answer from the pool. Telemetry tells "the pool said off"
 * (stop and purge) from "the pool could not be read" (stop, send nothing, keep what was already
 * recorded while on), so a flaky network does not destroy events.
 */
export function lastConfigReadSucceeded(): boolean {
  return lastReadOk;
}

export async function fetchEffectiveConfig(timeoutMs = CONFIG_TIMEOUT_MS): Promise<WebServiceConfig> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(CONFIG_PATH, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`config answered ${response.status}`);
    const config = readEffectiveConfig(await response.json());
    lastReadOk = true;
    return config;
  } catch {
    lastReadOk = false;
    return { ...PRODUCT_DEFAULTS };
  } finally {
    clearTimeout(timer);
  }
}
