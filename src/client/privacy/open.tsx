/**
 * Shows the privacy notice as a modal dialog of its own, rendered beside the page area that opened
 * it (the launcher or the prejoin, which never import this chunk), and gives focus back to the link
 * when it closes.
 */
import { render } from 'preact';
import { FALLBACK_LOCALE } from '../../shared/locale';
import type { ConfigStore } from '../config/state';
import { NOTICE_CATALOG_LOADERS } from '../i18n/notice/catalogs';
import type { NoticeCatalog } from '../i18n/notice/notice-en-US';
import { currentLocale } from '../i18n/t';
import { linkStylesheet } from '../ui/link-stylesheet';
import { PrivacyNotice } from './PrivacyNotice';
import privacyCss from './privacy.css?url';

let showing = false;

/** The notice's words in the page's language; if that chunk cannot load, in en-US rather than none. */
async function noticeWords(): Promise<NoticeCatalog> {
  try {
    return (await NOTICE_CATALOG_LOADERS[currentLocale()]()).notice;
  } catch {
    return (await NOTICE_CATALOG_LOADERS[FALLBACK_LOCALE]()).notice;
  }
}

export async function openPrivacyNotice(opener: HTMLElement, configStore: ConfigStore): Promise<void> {
  // A second press while the words load opens nothing more.
  if (showing) return;
  showing = true;
  let words: NoticeCatalog;
  try {
    // Shown unstyled never; shown at all even if the stylesheet cannot load.
    [words] = await Promise.all([noticeWords(), linkStylesheet(privacyCss).catch(() => undefined)]);
  } catch (error) {
    showing = false;
    throw error;
  }
  const host = document.createElement('div');
  document.body.append(host);
  const close = () => {
    render(null, host);
    host.remove();
    showing = false;
    opener.focus();
  };
  render(<PrivacyNotice words={words} configStore={configStore} onClose={close} />, host);
}
