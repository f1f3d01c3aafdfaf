/**
 * Keeps the page's config store fresh: re-read every 5 minutes and whenever the page becomes
 * visible again, so an admin's change reaches open pages without a reload.
 */
import { fetchEffectiveConfig } from './effective-config';
import type { ConfigStore } from './state';

export const CONFIG_REFRESH_MS = 5 * 60_000;

export function watchEffectiveConfig(store: ConfigStore): () => void {
  const refresh = () => void fetchEffectiveConfig().then(store.set);
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
