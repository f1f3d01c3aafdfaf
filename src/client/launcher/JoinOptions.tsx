import { useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { LazyPhonePanel } from './LazyPhonePanel';
import { type LauncherState, startDesktopAttempt } from './store';

/** The other ways to join: the app (again), by phone, and getting the app. */
export function JoinOptions({ state, meeting }: { state: LauncherState; meeting: MeetingInfo }) {
  const [phoneOpen, setPhoneOpen] = useState(false);
  const { links, desktop, platform } = state;
  return (
    <div class="actions">
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
      {meeting.dialIn && phoneOpen && (
        <LazyPhonePanel conferenceId={meeting.dialIn.conferenceId} meetingPath={window.location.pathname} />
      )}
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
