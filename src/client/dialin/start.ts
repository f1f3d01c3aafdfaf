/** The /dialin page: its own lazy chunk, so the launcher's entry does not carry it. */
import { negotiateLocale, personalLocale } from '../../shared/locale';
import type { ConfigStore } from '../config/state';
import { loadLocale } from '../i18n/t';
import { readLaunchQuery } from '../page-query';
import { loadDirectory } from './store';

/**
 * The page follows the config store like every page (telemetry applies the pool's flag, and purges
 * what an earlier visit left when it is off); it needs only the pool's language from it.
 */
export async function startDialInPage(
  location: Location,
  config: ConfigStore,
  configRead: Promise<void>,
): Promise<void> {
  const { lang } = readLaunchQuery(location.search);
  const personal = personalLocale(lang, navigator.languages ?? []);
  if (!personal) await configRead;
  await loadLocale(personal ?? negotiateLocale(null, [], config.get().config.DefaultLanguage));
  // The directory was preloaded with the page; reading it after the words keeps text from flashing.
  await loadDirectory();
}
