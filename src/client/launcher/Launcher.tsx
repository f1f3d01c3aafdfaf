import { useEffect } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import type { ConfigStore } from '../config/state';
import { t } from '../i18n/t';
import { Heading } from '../ui/Heading';
import { PrivacyLink } from '../ui/PrivacyLink';
import { BrowserJoin } from './BrowserJoin';
import { JoinOptions } from './JoinOptions';
import { preloadPhonePanel } from './LazyPhonePanel';
import { type LauncherState, toggleOptions } from './store';

const STATUS_KEYS = { trying: 'desktopOpening', opened: 'desktopOpened', failed: 'desktopFailed' } as const;

export function Launcher({
  state,
  meeting,
  configStore,
}: {
  state: LauncherState;
  meeting: MeetingInfo;
  configStore: ConfigStore;
}) {
  const { desktop, optionsOpen } = state;
  // While the app is being tried (or has opened) the other ways wait behind a disclosure; joining in
  // the browser stays in view, as the original launcher's "join in the browser instead" did.
  const collapsible = desktop === 'trying' || desktop === 'opened';
  useEffect(() => {
    if (!meeting.dialIn) return;
    // After the first paint, off the critical path.
    const timer = setTimeout(() => void preloadPhonePanel().catch(() => undefined), 1000);
    return () => clearTimeout(timer);
  }, [meeting]);
  return (
    <section class="card" data-testid="launcher" data-desktop-state={desktop} aria-labelledby="meeting-subject">
      <p class="eyebrow">{t('joinMeetingTitle')}</p>
      <Heading>
        <span id="meeting-subject" data-testid="meeting-subject">
          {meeting.subject}
        </span>
      </Heading>
      <p class="muted">{t('organizedBy', { organizer: `\u2068${meeting.organizerUri}\u2069` })}</p>
      <p class={`status${desktop === 'trying' ? ' busy' : ''}`} role="status" data-testid="desktop-status">
        {desktop === 'idle' ? '' : t(STATUS_KEYS[desktop])}
      </p>
      <BrowserJoin prefersBrowser={state.prefersBrowser} />
      {collapsible && (
        <button
          type="button"
          class="disclosure"
          aria-expanded={optionsOpen}
          aria-controls="join-options"
          onClick={toggleOptions}
        >
          {t('moreOptions')}
        </button>
      )}
      <div id="join-options" hidden={!optionsOpen}>
        <JoinOptions state={state} meeting={meeting} />
      </div>
      <PrivacyLink configStore={configStore} />
    </section>
  );
}
