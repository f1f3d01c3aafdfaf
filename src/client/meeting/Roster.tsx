import type { RosterEntry } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { RemoveButton } from './RemoveButton';

/**
 * Who is in the meeting. Tags (you, organizer, muted) are badges apart from the name text, so a
 * name such as "Alice (organizer)" cannot pass for one; the organizer can remove anyone else
 * (after saying yes a second time).
 */
export function Roster({
  roster,
  selfId,
  canRemove = false,
}: {
  roster: RosterEntry[];
  selfId?: string;
  canRemove?: boolean;
}) {
  return (
    <section aria-labelledby="roster-title" data-testid="roster">
      <h2 id="roster-title">{t('rosterTitle', { count: String(roster.length) })}</h2>
      <ul class="people">
        {roster.map((person) => (
          <li key={person.id} data-testid="roster-entry">
            <bdi class="name">{person.displayName}</bdi>
            {person.id === selfId && <span class="tag">{t('youTag')}</span>}
            {person.role === 'organizer' && <span class="tag">{t('organizerTag')}</span>}
            {person.muted && <span class="tag">{t('mutedTag')}</span>}
            {canRemove && person.id !== selfId && <RemoveButton id={person.id} name={person.displayName} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
