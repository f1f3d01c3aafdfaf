import { useState } from 'preact/hooks';
import { t } from '../i18n/t';

/** Copying works only where the Clipboard API does (secure contexts): elsewhere no button. */
const canCopy = () => typeof navigator.clipboard?.writeText === 'function';

/** The phone conference ID, with a button that copies it and says so. */
export function ConferenceId({ conferenceId }: { conferenceId: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = () =>
    navigator.clipboard.writeText(conferenceId).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div class="conference-id">
      <p>
        {t('phoneConferenceId')}:{' '}
        <strong dir="ltr" data-testid="phone-conference-id">
          {conferenceId}
        </strong>
      </p>
      {canCopy() && (
        <button type="button" class="small" data-testid="copy-conference-id" onClick={() => void copy()}>
          {t('phoneCopy')}
        </button>
      )}
      <p class="note" role="status">
        {copied === 'yes' ? t('phoneCopied') : copied === 'failed' ? t('phoneCopyFailed') : ''}
      </p>
    </div>
  );
}
