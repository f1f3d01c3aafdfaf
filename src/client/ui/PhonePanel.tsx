import { useEffect, useState } from 'preact/hooks';
import type { DialInNumber } from '../../shared/api-schema';
import { fetchDialInDirectory } from '../dialin-api';
import { t } from '../i18n/t';
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

export function PhonePanel({ conferenceId }: { conferenceId: string }) {
  const [numbers, setNumbers] = useState<Numbers | undefined>();
  const [attempt, setAttempt] = useState(0);
  // Asks again whenever "Try again" bumps `attempt`.
  useEffect(() => {
    let live = true;
    setNumbers(undefined);
    void poolNumbers().then((answer) => live && setNumbers(answer));
    return () => {
      live = false;
    };
  }, [attempt]);
  return (
    <section
      id="phone-panel"
      class="panel"
      data-testid="phone-panel"
      aria-label={t('joinPhone')}
      aria-busy={numbers === undefined}
    >
      <p>
        {t('phoneConferenceId')}:{' '}
        <strong dir="ltr" data-testid="phone-conference-id">
          {conferenceId}
        </strong>
      </p>
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
          <NumberList numbers={numbers} conferenceId={conferenceId} />
          <a href="/dialin">{t('phoneAllNumbers')}</a>
        </>
      )}
    </section>
  );
}
