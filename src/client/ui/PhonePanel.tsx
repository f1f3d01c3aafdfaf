import { useEffect, useState } from 'preact/hooks';
import type { DialInNumber } from '../../shared/api-schema';
import { fetchDialInDirectory } from '../dialin-api';
import { t } from '../i18n/t';
import { ConferenceId } from './ConferenceId';
import { dialInPageLink, ownRegion } from './dialin-links';
import { NumberList } from './NumberList';

type Numbers = DialInNumber[] | 'offline' | 'service-unreachable';
let directory: Promise<Numbers> | undefined;

/**
 * The pool's dial-in numbers, fetched once per page (the meeting lookup carries only the phone
 * conference ID, to keep the critical path small). A failed fetch is forgotten, so "Try again" asks
 * again.
 */
export function poolNumbers(): Promise<Numbers> {
  directory ??= fetchDialInDirectory().then((answer) => {
    if (typeof answer === 'string') directory = undefined;
    return typeof answer === 'string' ? answer : answer.numbers;
  });
  return directory;
}

/**
 * Join by phone: the conference ID (with a copy button), the numbers of the person's own region
 * first and the others behind "More numbers", so the panel stays short on a phone, and the
 * /dialin page for this meeting (its tel: links keep the conference ID, and it links back here).
 */
export function PhonePanel({ conferenceId, meetingPath }: { conferenceId: string; meetingPath: string }) {
  const [numbers, setNumbers] = useState<Numbers | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [showAll, setShowAll] = useState(false);
  // Asks again whenever "Try again" bumps `attempt`.
  useEffect(() => {
    let live = true;
    setNumbers(undefined);
    void poolNumbers().then((answer) => live && setNumbers(answer));
    return () => {
      live = false;
    };
  }, [attempt]);
  const own = typeof numbers === 'object' ? numbers.filter((n) => n.region === ownRegion()) : [];
  const others = typeof numbers === 'object' ? numbers.filter((n) => n.region !== ownRegion()) : [];
  // Nothing in the person's region: every number is "theirs" to choose from.
  const first = own.length ? own : others;
  const rest = own.length ? others : [];
  return (
    <section
      id="phone-panel"
      class="panel"
      data-testid="phone-panel"
      aria-label={t('joinPhone')}
      aria-busy={numbers === undefined}
    >
      <ConferenceId conferenceId={conferenceId} />
      {numbers === undefined ? null : typeof numbers === 'string' ? (
        <div role="alert" data-testid="phone-numbers-problem">
          <p>{t(`error.${numbers}`)}</p>
          <button type="button" data-testid="phone-retry" onClick={() => setAttempt(attempt + 1)}>
            {t('retry')}
          </button>
        </div>
      ) : numbers.length === 0 ? (
        <p>{t('phoneNoNumbers')}</p>
      ) : (
        <>
          <p class="muted">{t('phoneInstructions')}</p>
          <NumberList numbers={first} conferenceId={conferenceId} />
          {rest.length > 0 && (
            <>
              <button
                type="button"
                class="disclosure"
                data-testid="phone-more-numbers"
                aria-expanded={showAll}
                aria-controls="phone-more"
                onClick={() => setShowAll(!showAll)}
              >
                {t('phoneMoreNumbers')}
              </button>
              <div id="phone-more" hidden={!showAll}>
                <NumberList numbers={rest} conferenceId={conferenceId} />
              </div>
            </>
          )}
          <a href={dialInPageLink(conferenceId, meetingPath)}>{t('phoneAllNumbers')}</a>
        </>
      )}
    </section>
  );
}
