import type { RosterEntry } from '../../shared/api-schema';
import { t } from '../i18n/t';

export function Roster({ roster, selfId }: { roster: RosterEntry[]; selfId?: string }) {
  return (
    <section aria-labelledby="roster-title" data-testid="roster">
      <h2 id="roster-title">{t('rosterTitle', { count: String(roster.length) })}</h2>
      <ul class="people">
        {roster.map((person) => (
          <li key={person.id} data-testid="roster-entry">
            <span class="name">{person.displayName}</span>
            {person.id === selfId && <span class="tag"> {t('youTag')}</span>}
            {person.role === 'organizer' && <span class="tag"> {t('organizerTag')}</span>}
            {person.muted && <span class="tag"> {t('mutedTag')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
