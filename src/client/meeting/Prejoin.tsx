import { useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import { MAX_DISPLAY_NAME_LENGTH } from '../../shared/constants';
import type { MeetingRef } from '../../shared/meeting-url';
import { errorMessageKey, t } from '../i18n/t';
import { Heading } from '../launcher/Heading';
import { type SessionState, submitJoin } from './session-store';

export function Prejoin({
  meeting,
  meetingRef,
  session,
}: {
  meeting: MeetingInfo;
  meetingRef: MeetingRef;
  session: SessionState;
}) {
  const [name, setName] = useState('');
  const joining = session.phase === 'joining';
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void submitJoin(meetingRef, name);
  };
  return (
    <section class="card" aria-labelledby="prejoin-title">
      <Heading>
        <span id="prejoin-title">{meeting.subject}</span>
      </Heading>
      <form onSubmit={onSubmit} noValidate>
        <label for="display-name">{t('displayNameLabel')}</label>
        <input
          id="display-name"
          data-testid="display-name"
          name="displayName"
          autocomplete="name"
          maxLength={MAX_DISPLAY_NAME_LENGTH * 2}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-describedby="display-name-hint display-name-problem"
          aria-invalid={session.problem ? 'true' : undefined}
        />
        <p id="display-name-hint" class="muted">
          {t('displayNameHint')}
        </p>
        <p id="display-name-problem" class="problem" role="alert">
          {session.problem ? t(errorMessageKey('join', session.problem)) : ''}
        </p>
        <button type="submit" class="primary" data-testid="join-submit" disabled={joining} aria-busy={joining}>
          {joining ? t('joining') : t('joinSubmit')}
        </button>
      </form>
    </section>
  );
}
