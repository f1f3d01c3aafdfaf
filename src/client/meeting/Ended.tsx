import type { MessageKey } from '../i18n/en-US';
import { t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { type FinalReason, rejoin } from './session-store';

const TEXT: Record<FinalReason, [MessageKey, MessageKey]> = {
  left: ['leftTitle', 'leftText'],
  ended: ['ended.ended.title', 'ended.ended.text'],
  denied: ['ended.denied.title', 'ended.denied.text'],
  'lobby-timeout': ['ended.lobby-timeout.title', 'ended.lobby-timeout.text'],
  removed: ['ended.removed.title', 'ended.removed.text'],
  disconnected: ['ended.disconnected.title', 'ended.disconnected.text'],
};

/** The organizer who ended the meeting is told it was their doing, not "the organizer's". */
const TEXT_ENDED_BY_YOU: [MessageKey, MessageKey] = ['ended.ended.title', 'ended.ended.byYouText'];

/** Every way a session ends: what happened and what the person can do now. */
export function Ended({ reason, byYou = false }: { reason: FinalReason; byYou?: boolean }) {
  const [title, text] = byYou && reason === 'ended' ? TEXT_ENDED_BY_YOU : TEXT[reason];
  const canRejoin = reason !== 'denied' && reason !== 'ended';
  return (
    <section class="card" data-testid="meeting-ended" data-reason={reason} aria-labelledby="ended-title">
      <Heading>
        <span id="ended-title">{t(title)}</span>
      </Heading>
      <p>{t(text)}</p>
      {canRejoin && (
        <div class="actions">
          <button type="button" class="primary" onClick={rejoin}>
            {t('rejoin')}
          </button>
        </div>
      )}
    </section>
  );
}
