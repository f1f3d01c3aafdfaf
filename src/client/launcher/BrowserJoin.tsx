import { useState } from 'preact/hooks';
import { t } from '../i18n/t';
import { forgetBrowser, joinInBrowser } from './store';

/** Join in this browser, always in view (even while the app is being tried), with the device choice. */
export function BrowserJoin({ prefersBrowser }: { prefersBrowser: boolean }) {
  const [always, setAlways] = useState(false);
  return (
    <div class="actions">
      <button type="button" class="primary" data-testid="join-web" onClick={() => joinInBrowser(always)}>
        {t('joinWeb')}
      </button>
      {prefersBrowser ? (
        <p class="note">
          {t('alwaysBrowserSet')}{' '}
          <button type="button" class="link" data-testid="forget-browser" onClick={forgetBrowser}>
            {t('alwaysBrowserForget')}
          </button>
        </p>
      ) : (
        <label class="check">
          <input
            type="checkbox"
            data-testid="always-browser"
            checked={always}
            onChange={(e) => setAlways(e.currentTarget.checked)}
          />
          {t('alwaysBrowser')}
        </label>
      )}
    </div>
  );
}
