import { useEffect } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import { problemKey, t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { Chat } from './Chat';
import { ConnectionBanner } from './ConnectionBanner';
import { Controls } from './Controls';
import { Elapsed } from './Elapsed';
import { LobbyQueue } from './LobbyQueue';
import { MediaTiles } from './MediaTiles';
import { Roster } from './Roster';
import type { SessionState } from './session-store';

export function InMeeting({ meeting, session }: { meeting: MeetingInfo; session: SessionState }) {
  const isOrganizer = session.role === 'organizer';
  // The tab says where the person is: the meeting, not "Join meeting".
  useEffect(() => {
    const before = document.title;
    document.title = t('meetingTabTitle', { subject: meeting.subject });
    return () => {
      document.title = before;
    };
  }, [meeting.subject]);
  return (
    <section class="card meeting" data-testid="in-meeting" aria-labelledby="in-meeting-title">
      <header class="meeting-header">
        <div>
          <p class="eyebrow">{t('inMeetingTitle')}</p>
          <Heading>
            <span id="in-meeting-title">{meeting.subject}</span>
          </Heading>
        </div>
        {session.startedAt !== undefined && <Elapsed startedAt={session.startedAt} />}
      </header>
      <ConnectionBanner status={session.connection} />
      <Controls session={session} />
      <p class="problem" role="alert">
        {session.actionProblem ? t(problemKey('action', session.actionProblem)) : ''}
      </p>
      <MediaTiles roster={session.roster} selfId={session.who?.participantId} />
      <div class="meeting-body">
        <div class="meeting-side">
          {isOrganizer && <LobbyQueue waiting={session.lobby} />}
          <Roster roster={session.roster} selfId={session.who?.participantId} canRemove={isOrganizer} />
        </div>
        <Chat session={session} />
      </div>
    </section>
  );
}
