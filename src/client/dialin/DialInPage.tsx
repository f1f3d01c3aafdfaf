import { formatCount, regionName } from '../i18n/format';
import { problemKey, t } from '../i18n/t';
import { useStore } from '../store';
import { Heading } from '../ui/Heading';
import { Loading } from '../ui/Loading';
import { NumberList } from '../ui/NumberList';
import { matchesSearch } from './search';
import { dialInStore, loadDirectory, setQuery } from './store';

export function DialInPage() {
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
      <p class="muted">{t('dialinIntro')}</p>
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
      <NumberList numbers={found} />
    </section>
  );
}
