/** One lazy chunk per catalog, so the page downloads only the language it shows. */
import type { SupportedLocale } from '../../shared/config-page';
import type { Catalog } from './en-US';

type CatalogModule = { messages: Catalog };

export const CATALOG_LOADERS: Record<SupportedLocale, () => Promise<CatalogModule>> = {
  'en-US': () => import('./en-US'),
  'pt-BR': () => import('./pt-BR'),
  'es-ES': () => import('./es-ES'),
  'fr-FR': () => import('./fr-FR'),
  'de-DE': () => import('./de-DE'),
  'ja-JP': () => import('./ja-JP'),
  'ar-SA': () => import('./ar-SA'),
};
