import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/t';
import { forgetBrowser, joinInBrowser } from './store';

/** Join in this browser, always in view (even while the app is being tried), with the device choice. */
export function BrowserJoin({ prefersBrowser }: { prefersBrowser: boolean }) {
  const [always, setAlways] = useState(false);
  const [forgotten, setForgotten] = useState(false);
  const checkbox = useRef<HTMLInputElement>(null);
  // "Forget this choice" removes itself: focus goes to the choice it gave back, not to <body>.
  useEffect(() => {
    if (forgotten) checkbox.current?.focus();
  }, [forgotten]);
  const forget = () => {
    forgetBrowser();
    setForgotten(true);
  };
  return (
    <div class="actions">
      <button type="button" class="primary" data-testid="join-web" onClick={() => joinInBrowser(always)}>
        {t('joinWeb')}
      </button>
      {prefersBrowser ? (
        <p class="note">
          {t('alwaysBrowserSet')}{' '}
          <button type="button" class="link" data-testid="forget-browser" onClick={forget}>
            {t('alwaysBrowserForget')}
          </button>
        </p>
      ) : (
        <label class="check">
          <input
            ref={checkbox}
            type="checkbox"
            data-testid="always-browser"
            checked={always}
            onChange={(e) => setAlways(e.currentTarget.checked)}
          />
          {t('alwaysBrowser')}
        </label>
      )}
      <p class="note" role="status" data-testid="browser-choice-status">
        {forgotten && !prefersBrowser ? t('alwaysBrowserForgotten') : ''}
      </p>
    </div>
  );
}
