import { errorMessageKey, t } from '../i18n/t';
import { Heading } from './Heading';
import { retryLookup } from './store';

const RETRYABLE = new Set(['service-unreachable', 'offline', 'unexpected']);

export function ErrorScreen({ code, canRetry }: { code: string; canRetry: boolean }) {
  return (
    <section class="card" data-testid="error" data-error-code={code} aria-labelledby="error-title">
      <Heading>
        <span id="error-title">{t('errorTitle')}</span>
      </Heading>
      <p role="alert">{t(errorMessageKey('error', code))}</p>
      {canRetry && RETRYABLE.has(code) && (
        <button type="button" class="primary" onClick={retryLookup}>
          {t('retry')}
        </button>
      )}
    </section>
  );
}
