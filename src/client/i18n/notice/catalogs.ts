/** One lazy chunk per language of the privacy notice's words, fetched with the notice, never before. */
import type { SupportedLocale } from '../../../shared/config-page';
import type { NoticeCatalog } from './notice-en-US';

type NoticeModule = { notice: NoticeCatalog };

export const NOTICE_CATALOG_LOADERS: Record<SupportedLocale, () => Promise<NoticeModule>> = {
  'en-US': () => import('./notice-en-US'),
  'pt-BR': () => import('./notice-pt-BR'),
  'es-ES': () => import('./notice-es-ES'),
  'fr-FR': () => import('./notice-fr-FR'),
  'de-DE': () => import('./notice-de-DE'),
  'ja-JP': () => import('./notice-ja-JP'),
  'ar-SA': () => import('./notice-ar-SA'),
};
