import { useEffect } from 'preact/hooks';
import { currentLocale, problemKey, t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { backToOptions, retryLookup } from './store';

const formatEnded = (ms: number) =>
  new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeStyle: 'short' }).format(ms);

const RETRYABLE = new Set(['service-unreachable', 'offline', 'unexpected']);

interface ErrorScreenProps {
  code: string;
  canRetry: boolean;
  endedAt?: number;
}

/**
 * A code this page has no words for (a newer server, a proxy's answer) is an unexpected error: its
 * message says "try again", so it gets the Try again button too, and the raw code is not shown.
 */
function knownCode(code: string): string {
  return problemKey('error', code) === `error.${code}` ? code : 'unexpected';
}

export function ErrorScreen({ code: given, canRetry, endedAt }: ErrorScreenProps) {
  const code = knownCode(given);
  const retry = canRetry && RETRYABLE.has(code);
  useEffect(() => {
    // Offline: try again by itself the moment the connection is back.
    if (code !== 'offline' || !retry) return;
    window.addEventListener('online', retryLookup);
    return () => window.removeEventListener('online', retryLookup);
  }, [code, retry]);
  return (
    <section class="card" data-testid="error" data-error-code={code} aria-labelledby="error-title">
      <Heading>
        <span id="error-title">{t('errorTitle')}</span>
      </Heading>
      <div role="alert">
        <p>{t(problemKey('error', code))}</p>
        {code === 'meeting-ended' && endedAt !== undefined && (
          <p class="muted">{t('meetingEndedAt', { date: formatEnded(endedAt) })}</p>
        )}
        {code === 'offline' && retry && <p class="muted">{t('offlineAutoRetry')}</p>}
      </div>
      <div class="actions">
        {retry && (
          <button type="button" class="primary" onClick={retryLookup}>
            {t('retry')}
          </button>
        )}
        {code === 'anonymous-join-not-allowed' && (
          <button type="button" class="primary" onClick={backToOptions}>
            {t('backToOptions')}
          </button>
        )}
      </div>
    </section>
  );
}
