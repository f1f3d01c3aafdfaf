import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import { t } from '../i18n/t';
import { Heading } from '../launcher/Heading';
import { useStore } from '../store';
import { Prejoin } from './Prejoin';
import { leave, rejoin, sessionStore } from './session-store';

export interface ShellProps {
  meeting: MeetingInfo;
  meetingRef: MeetingRef;
}

export function Shell({ meeting, meetingRef }: ShellProps) {
  const session = useStore(sessionStore);
  switch (session.phase) {
    case 'prejoin':
    case 'joining':
      return <Prejoin meeting={meeting} meetingRef={meetingRef} session={session} />;
    case 'lobby':
      return (
        <section class="card" data-testid="lobby" aria-labelledby="lobby-title">
          <Heading>
            <span id="lobby-title">{t('lobbyTitle')}</span>
          </Heading>
          <p class="muted">{meeting.subject}</p>
          <p role="status">{t('lobbyText')}</p>
          <button type="button" data-testid="leave" onClick={() => void leave()}>
            {t('leave')}
          </button>
        </section>
      );
    case 'in-meeting':
      return (
        <section class="card" data-testid="in-meeting" aria-labelledby="in-meeting-title">
          <Heading>
            <span id="in-meeting-title">{t('inMeetingTitle')}</span>
          </Heading>
          <p class="muted">{meeting.subject}</p>
          <button type="button" class="danger" data-testid="leave" onClick={() => void leave()}>
            {t('leave')}
          </button>
        </section>
      );
    case 'left':
      return (
        <section class="card" data-testid="meeting-ended" aria-labelledby="left-title">
          <Heading>
            <span id="left-title">{t('leftTitle')}</span>
          </Heading>
          <p>{t('leftText')}</p>
          <button type="button" class="primary" onClick={rejoin}>
            {t('rejoin')}
          </button>
        </section>
      );
  }
}
