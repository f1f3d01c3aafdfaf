import type { DialIn } from '../../shared/api-schema';
import { t } from '../i18n/t';
import { NumberList } from './NumberList';

export function PhonePanel({ dialIn }: { dialIn: DialIn }) {
  return (
    <section id="phone-panel" class="panel" data-testid="phone-panel" aria-label={t('joinPhone')}>
      <p>
        {t('phoneConferenceId')}:{' '}
        <strong dir="ltr" data-testid="phone-conference-id">
          {dialIn.conferenceId}
        </strong>
      </p>
      {dialIn.numbers.length === 0 ? (
        <p>{t('phoneNoNumbers')}</p>
      ) : (
        <>
          <p class="muted">{t('phoneInstructions')}</p>
          <NumberList numbers={dialIn.numbers} conferenceId={dialIn.conferenceId} />
          <a href="/dialin">{t('phoneAllNumbers')}</a>
        </>
      )}
    </section>
  );
}
