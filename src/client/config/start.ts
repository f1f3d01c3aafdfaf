/**
 * Creates the page's config store (once, from the entry) and keeps it fresh. The first reading is
 * the config the server put into the page when there is one (a first visit: no request), else a
 * fetch; either way the store is then re-read every 5 minutes and when the page shows again.
 */
import { readEffectiveConfig } from '../../shared/config-page';
import { fetchEffectiveConfig } from './effective-config';
import { type ConfigStore, configState, createConfigStore } from './state';
import { watchEffectiveConfig } from './watch';

export function startConfig(inlined: unknown): { store: ConfigStore; firstRead: Promise<void> } {
  const store = createConfigStore(inlined === undefined ? undefined : configState(readEffectiveConfig(inlined)));
  const firstRead = inlined === undefined ? fetchEffectiveConfig().then(store.set) : Promise.resolve();
  void firstRead.then(() => watchEffectiveConfig(store));
  return { store, firstRead };
}
