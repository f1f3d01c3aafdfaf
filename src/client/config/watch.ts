/**
 * Keeps an open page's view of the pool's config fresh: re-read every 5 minutes and whenever the
 * page becomes visible again, so an admin's change reaches open pages without a reload.
 */
import type { WebServiceConfig } from '../../shared/config-page';
import { fetchEffectiveConfig } from './effective-config';

export const CONFIG_REFRESH_MS = 5 * 60_000;

export function watchEffectiveConfig(onConfig: (config: WebServiceConfig) => void): () => void {
  const refresh = () => void fetchEffectiveConfig().then(onConfig);
  const onVisible = () => {
    if (document.visibilityState === 'visible') refresh();
  };
  const interval = setInterval(refresh, CONFIG_REFRESH_MS);
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(interval);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
