import type { MeetingInfo } from '../../shared/api-schema';
import type { WebServiceConfig } from '../../shared/config-schema';
import { t } from '../i18n/t';
import { Heading } from './Heading';
import { openShell } from './store';

export function Launcher({ meeting, config }: { meeting: MeetingInfo; config: WebServiceConfig }) {
  return (
    <section class="card" data-testid="launcher" aria-labelledby="meeting-subject">
      <p class="eyebrow">{t('joinMeetingTitle')}</p>
      <Heading>
        <span id="meeting-subject" data-testid="meeting-subject">
          {meeting.subject}
        </span>
      </Heading>
      <p class="muted">{t('organizedBy', { organizer: meeting.organizerUri })}</p>
      <div class="actions">
        <button type="button" class="primary" data-testid="join-web" onClick={openShell}>
          {t('joinWeb')}
        </button>
        <a
          class="button"
          data-testid="download-app"
          href={config.DownloadUrl}
          target="_blank"
          rel="noopener noreferrer"
        >
          {t('downloadApp')}
          <span class="visually-hidden"> ({t('downloadAppNote')})</span>
        </a>
      </div>
    </section>
  );
}
