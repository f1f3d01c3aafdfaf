import { formatCount, regionName } from '../i18n/format';
import { problemKey, t } from '../i18n/t';
import { useStore } from '../store';
import { ConferenceId } from '../ui/ConferenceId';
import type { DialInContext } from '../ui/dialin-links';
import { Heading } from '../ui/Heading';
import { Loading } from '../ui/Loading';
import { NumberList } from '../ui/NumberList';
import { matchesSearch } from './search';
import { dialInStore, loadDirectory, setQuery } from './store';

/** Opened from a meeting (`conferenceId`, `meetingPath`): its ID stays in the tel: links, and a link leads back. */
export function DialInPage({ conferenceId, meetingPath }: DialInContext) {
  const state = useStore(dialInStore);
  if (state.phase === 'loading') return <Loading />;
  if (state.phase === 'error') {
    return (
      <section class="card" data-testid="error" data-error-code={state.errorCode} aria-labelledby="error-title">
        <Heading>
          <span id="error-title">{t('dialinTitle')}</span>
        </Heading>
        <p role="alert">{t(problemKey('error', state.errorCode ?? 'unexpected'))}</p>
        <button type="button" class="primary" onClick={() => void loadDirectory()}>
          {t('retry')}
        </button>
      </section>
    );
  }
  const found = state.numbers.filter((n) => matchesSearch(n, state.query, regionName(n.region)));
  return (
    <section class="card wide" data-testid="dialin" aria-labelledby="dialin-title">
      <Heading>
        <span id="dialin-title">{t('dialinTitle')}</span>
      </Heading>
      {meetingPath && (
        <p>
          <a href={meetingPath} data-testid="dialin-back">
            {t('dialinBackToMeeting')}
          </a>
        </p>
      )}
      {conferenceId ? <ConferenceId conferenceId={conferenceId} /> : <p class="muted">{t('dialinIntro')}</p>}
      <label for="dialin-search">{t('dialinSearchLabel')}</label>
      <input
        id="dialin-search"
        type="search"
        data-testid="dialin-search"
        autocomplete="off"
        value={state.query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <p class="status" role="status" data-testid="dialin-count">
        {found.length ? t('dialinCount', { count: formatCount(found.length) }) : t('dialinNone')}
      </p>
      <NumberList numbers={found} conferenceId={conferenceId} />
    </section>
  );
}
