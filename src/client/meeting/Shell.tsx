import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import type { ConfigStore } from '../config/state';
import { organizerKeyFrom } from '../organizer-key';
import { useStore } from '../store';
import { Ended } from './Ended';
import { InMeeting } from './InMeeting';
import { Lobby } from './Lobby';
import { type MediaModule, setMediaLoader } from './media-store';
import { Prejoin } from './Prejoin';
import { sessionStore } from './session-store';

// The chunk's door brings its stylesheet along (see stylesheet.ts).
export { linkShellStylesheet } from './stylesheet';

export interface ShellProps {
  meeting: MeetingInfo;
  meetingRef: MeetingRef;
  /** The page's config store: a pool that stops allowing guests says so at once on the prejoin. */
  configStore: ConfigStore;
  /** Loads the media chunk (devices, calls): called when the prejoin shows. */
  loadMedia: () => Promise<MediaModule>;
}

export function Shell({ meeting, meetingRef, configStore, loadMedia }: ShellProps) {
  setMediaLoader(loadMedia);
  const session = useStore(sessionStore);
  const { config } = useStore(configStore);
  switch (session.phase) {
    case 'prejoin':
    case 'joining':
      return (
        <Prejoin
          meeting={meeting}
          meetingRef={meetingRef}
          session={session}
          organizerKey={organizerKeyFrom(location.hash)}
          guestsAllowed={config.AllowAnonymousJoin}
          configStore={configStore}
        />
      );
    case 'lobby':
      return <Lobby meeting={meeting} session={session} />;
    case 'in-meeting':
      return <InMeeting meeting={meeting} session={session} />;
    case 'ended':
      return <Ended reason={session.finalReason ?? 'left'} byYou={session.endedByYou} />;
  }
}
