import type { DialInNumber } from '../../shared/api-schema';
import { compareText, regionName } from '../i18n/format';
import { t } from '../i18n/t';
import { ownRegion } from './dialin-links';

/** Numbers grouped by region, the reader's own region first, then by name in their language. */
export function groupByRegion(numbers: DialInNumber[], own: string): [string, DialInNumber[]][] {
  const groups = new Map<string, DialInNumber[]>();
  for (const n of numbers) groups.set(n.region, [...(groups.get(n.region) ?? []), n]);
  return [...groups].sort(
    ([a], [b]) => Number(b === own) - Number(a === own) || compareText(regionName(a), regionName(b)),
  );
}

/** `tel:` with the conference ID dialled after two pauses, so a phone can join in one tap. */
export function telLink(number: string, conferenceId: string): string {
  return `tel:${number},,${conferenceId}%23`;
}

export function NumberList({ numbers, conferenceId }: { numbers: DialInNumber[]; conferenceId?: string }) {
  const own = ownRegion();
  return (
    <dl class="numbers">
      {groupByRegion(numbers, own).map(([region, entries]) => (
        <div key={region}>
          <dt>{regionName(region)}</dt>
          {entries.map((n) => (
            <dd key={n.number}>
              <a href={conferenceId ? telLink(n.number, conferenceId) : `tel:${n.number}`} dir="ltr">
                {n.display}
              </a>{' '}
              <span class="muted">{n.tollFree ? t('phoneTollFree') : t('phoneToll')}</span>
            </dd>
          ))}
        </div>
      ))}
    </dl>
  );
}
