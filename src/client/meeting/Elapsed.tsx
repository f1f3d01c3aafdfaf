import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/t';

function format(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** How long the meeting has run. Not a live region: a ticking announcement every second would drown speech. */
export function Elapsed({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p class="elapsed">
      <span class="visually-hidden">{t('elapsedLabel')}: </span>
      <time data-testid="elapsed" dateTime={`PT${Math.max(0, Math.floor((now - startedAt) / 1000))}S`}>
        {format(now - startedAt)}
      </time>
    </p>
  );
}
