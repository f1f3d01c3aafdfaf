import { useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { LazyPhonePanel } from './LazyPhonePanel';
import { forgetBrowser, joinInBrowser, type LauncherState, startDesktopAttempt } from './store';

export function JoinOptions({ state, meeting }: { state: LauncherState; meeting: MeetingInfo }) {
  const [always, setAlways] = useState(false);
  const [phoneOpen, setPhoneOpen] = useState(false);
  const { links, desktop, platform } = state;
  return (
    <div class="actions">
      <button type="button" class="primary" data-testid="join-web" onClick={() => joinInBrowser(always)}>
        {t('joinWeb')}
      </button>
      {state.prefersBrowser ? (
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
      {links && (
        <a
          class="button"
          data-testid="join-desktop"
          href={links.open}
          // On a desktop the page watches whether the app took over; phones hand the link to the OS.
          onClick={platform === 'desktop' ? () => startDesktopAttempt() : undefined}
        >
          {desktop === 'failed' ? t('desktopTryAgain') : t('joinDesktop')}
        </a>
      )}
      {meeting.dialIn && (
        <button
          type="button"
          data-testid="join-phone"
          aria-expanded={phoneOpen}
          aria-controls="phone-panel"
          onClick={() => setPhoneOpen(!phoneOpen)}
        >
          {t('joinPhone')}
        </button>
      )}
      {meeting.dialIn && phoneOpen && <LazyPhonePanel dialIn={meeting.dialIn} />}
      {links && (
        <a
          class="button"
          data-testid="download-app"
          href={links.get}
          target={links.getInNewTab ? '_blank' : undefined}
          rel="noopener noreferrer"
        >
          {t('downloadApp')}
          {links.getInNewTab && <span class="visually-hidden"> ({t('downloadAppNote')})</span>}
        </a>
      )}
    </div>
  );
}
