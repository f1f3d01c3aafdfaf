import type { MeetingInfo } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { ConnectionBanner } from './ConnectionBanner';
import { DeviceCheck } from './DeviceCheck';
import { leave, type SessionState } from './session-store';

/** A guest waiting to be let in: what they wait for, what happens next, and a way out. */
export function Lobby({ meeting, session }: { meeting: MeetingInfo; session: SessionState }) {
  return (
    <section class="card" data-testid="lobby" aria-labelledby="lobby-title">
      <p class="eyebrow">{meeting.subject}</p>
      <Heading>
        <span id="lobby-title">{t('lobbyTitle')}</span>
      </Heading>
      <ConnectionBanner status={session.connection} />
      <p role="status">{t('lobbyText')}</p>
      <p class="muted">{t('lobbyNext')}</p>
      {/* The camera and microphone stay ready for the meeting: the person sees them and can turn them off. */}
      <DeviceCheck />
      <div class="actions">
        <button type="button" data-testid="lobby-cancel" onClick={() => void leave()}>
          {t('lobbyCancel')}
        </button>
      </div>
    </section>
  );
}
