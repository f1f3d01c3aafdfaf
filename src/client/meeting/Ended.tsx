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
};

/** Every way a session ends: what happened and what the person can do now. */
export function Ended({ reason }: { reason: FinalReason }) {
  const [title, text] = TEXT[reason];
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
