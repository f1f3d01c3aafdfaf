/** The /dialin page: its own lazy chunk, so the launcher's entry does not carry it. */
import { fetchEffectiveConfig } from '../config/effective-config';
import { negotiateLocale, personalLocale } from '../i18n/negotiate';
import { loadLocale } from '../i18n/t';
import { readLaunchQuery } from '../launcher/query';
import { loadDirectory } from './store';

export async function startDialInPage(location: Location): Promise<void> {
  const { lang } = readLaunchQuery(location.search);
  const personal = personalLocale(lang, navigator.languages ?? []);
  const poolDefault = personal ? '' : (await fetchEffectiveConfig()).DefaultLanguage;
  await loadLocale(personal ?? negotiateLocale(null, [], poolDefault));
  // The directory was preloaded with the page; reading it after the words keeps text from flashing.
  await loadDirectory();
}
