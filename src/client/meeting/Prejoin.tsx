import { useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import { MAX_DISPLAY_NAME_LENGTH } from '../../shared/constants';
import type { MeetingRef } from '../../shared/meeting-url';
import type { ConfigStore } from '../config/state';
import { problemKey, t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { PrivacyLink } from '../ui/PrivacyLink';
import { DeviceCheck, DeviceHelp } from './DeviceCheck';
import { rememberedName } from './remembered-name';
import { type SessionState, submitJoin } from './session-store';

export function Prejoin({
  meeting,
  meetingRef,
  session,
  organizerKey,
  guestsAllowed,
  configStore,
}: {
  meeting: MeetingInfo;
  meetingRef: MeetingRef;
  session: SessionState;
  organizerKey?: string;
  guestsAllowed: boolean;
  /** The page's config store: the privacy notice says what this pool's pages send. */
  configStore: ConfigStore;
}) {
  const [name, setName] = useState(rememberedName);
  const joining = session.phase === 'joining';
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void submitJoin(meetingRef, name, organizerKey);
  };
  const problem = session.problem
    ? t(problemKey('join', session.problem))
    : !organizerKey && !guestsAllowed
      ? t('join.anonymous-join-not-allowed')
      : '';
  return (
    <section class="card" aria-labelledby="prejoin-title" data-testid="prejoin">
      <Heading>
        <span id="prejoin-title">{meeting.subject}</span>
      </Heading>
      {organizerKey && <p class="muted">{t('organizerJoinNote')}</p>}
      <DeviceCheck />
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
          aria-invalid={session.problem?.startsWith('name-') ? 'true' : undefined}
        />
        <p id="display-name-hint" class="muted">
          {t('displayNameHint')}
        </p>
        <p id="display-name-problem" class="problem" role="alert" data-testid="join-problem">
          {problem}
        </p>
        {/* The same full-width main button as the launcher's "Join in this browser". */}
        <div class="actions">
          <button type="submit" class="primary" data-testid="join-submit" disabled={joining} aria-busy={joining}>
            {joining ? t('joining') : t('joinSubmit')}
          </button>
        </div>
      </form>
      <DeviceHelp />
      <PrivacyLink configStore={configStore} />
    </section>
  );
}
