import type { ConfigStore } from '../config/state';
import { t } from '../i18n/t';

/**
 * "What this page sends", on the launcher and the prejoin. The notice it opens is a lazy chunk
 * (../privacy-chunk.ts) with its own words and stylesheet, so none of it weighs on the first screen;
 * the link is all the entry carries. It opens a notice, never a control.
 */
export function PrivacyLink({ configStore }: { configStore: ConfigStore }) {
  const open = (event: MouseEvent) => {
    const opener = event.currentTarget as HTMLElement;
    // A chunk that cannot load (offline, no service worker yet) leaves the page as it was.
    import('../privacy-chunk').then((chunk) => chunk.openPrivacyNotice(opener, configStore)).catch(() => undefined);
  };
  return (
    <p class="note privacy">
      <button type="button" class="link" data-testid="privacy-link" aria-haspopup="dialog" onClick={open}>
        {t('privacyLink')}
      </button>
    </p>
  );
}
