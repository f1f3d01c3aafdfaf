import type { RosterEntry } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { admit, admitAll, deny, denyAll } from './session-store';

/**
 * The organizer's view of guests waiting to be let in: out of sight while nobody waits (no
 * "Waiting in the lobby (0)"), yet kept in the page so its live region announces the next guest.
 * Admit all and Deny all decide for everyone waiting at once (a crowd, or a flood, at the door).
 */
export function LobbyQueue({ waiting }: { waiting: RosterEntry[] }) {
  return (
    <section
      aria-labelledby="lobby-queue-title"
      data-testid="lobby-queue"
      aria-live="polite"
      hidden={waiting.length === 0}
    >
      <h2 id="lobby-queue-title">{t('lobbyQueueTitle', { count: String(waiting.length) })}</h2>
      <div class="row">
        <button type="button" class="primary small" data-testid="lobby-admit-all" onClick={() => void admitAll()}>
          {t('admitAll')}
        </button>
        <button type="button" class="small" data-testid="lobby-deny-all" onClick={() => void denyAll()}>
          {t('denyAll')}
        </button>
      </div>
      <ul class="people">
        {waiting.map((guest) => (
          <li key={guest.id} data-testid="lobby-guest">
            <span class="name">{guest.displayName}</span>
            <span class="row">
              <button
                type="button"
                class="primary small"
                data-testid="lobby-admit"
                aria-label={t('admitName', { name: guest.displayName })}
                onClick={() => void admit(guest.id)}
              >
                {t('admit')}
              </button>
              <button
                type="button"
                class="small"
                data-testid="lobby-deny"
                aria-label={t('denyName', { name: guest.displayName })}
                onClick={() => void deny(guest.id)}
              >
                {t('deny')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
