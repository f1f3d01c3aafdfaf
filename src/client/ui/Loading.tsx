import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/t';

/** Shows progress only when the wait is long enough to notice (no spinner flash). */
export const LOADING_DELAY_MS = 500;

export function Loading() {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), LOADING_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class="card" aria-busy="true">
      <p class="muted" role="status">
        {visible ? t('loading') : ''}
      </p>
    </div>
  );
}
