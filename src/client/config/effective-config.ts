/**
 * Fetches the pool's effective configuration. Fails closed: a timeout, a network error, a non-2xx
 * answer or a body that is not JSON all yield the product defaults with telemetry `unknown`, which
 * the telemetry gate tells apart from the pool saying `off` (see `../track.ts`).
 */
import { PRODUCT_DEFAULTS, readEffectiveConfig } from '../../shared/config-page';
import { CONFIG_PATH } from '../../shared/constants';
import { type ConfigState, configState } from './state';

export const CONFIG_TIMEOUT_MS = 3000;

export async function fetchEffectiveConfig(timeoutMs = CONFIG_TIMEOUT_MS): Promise<ConfigState> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(CONFIG_PATH, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`config answered ${response.status}`);
    return configState(readEffectiveConfig(await response.json()));
  } catch {
    return { config: { ...PRODUCT_DEFAULTS }, telemetry: 'unknown' };
  } finally {
    clearTimeout(timer);
  }
}
