/**
 * Fetches the pool's effective configuration. Fails closed: a timeout, a network error, a non-2xx
 * answer or a body that is not JSON all yield the product defaults, telemetry off.
 */
import { PRODUCT_DEFAULTS, readEffectiveConfig, type WebServiceConfig } from '../../shared/config-page';
import { CONFIG_PATH } from '../../shared/constants';

export const CONFIG_TIMEOUT_MS = 3000;

export async function fetchEffectiveConfig(timeoutMs = CONFIG_TIMEOUT_MS): Promise<WebServiceConfig> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(CONFIG_PATH, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok) return { ...PRODUCT_DEFAULTS };
    return readEffectiveConfig(await response.json());
  } catch {
    return { ...PRODUCT_DEFAULTS };
  } finally {
    clearTimeout(timer);
  }
}
