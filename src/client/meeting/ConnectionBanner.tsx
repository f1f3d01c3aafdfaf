import { t } from '../i18n/t';
import type { StreamStatus } from './event-stream';

/** Says so while the event stream is down; empty (but present, so it is announced) otherwise. */
export function ConnectionBanner({ status }: { status: StreamStatus }) {
  return (
    <p role="status" class={status === 'reconnecting' ? 'banner' : 'visually-hidden'}>
      {status === 'reconnecting' && <span data-testid="reconnecting">{t('reconnecting')}</span>}
    </p>
  );
}
