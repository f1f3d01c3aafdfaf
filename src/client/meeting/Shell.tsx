import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import { launcherStore } from '../launcher/store';
import { useStore } from '../store';
import { Ended } from './Ended';
import { InMeeting } from './InMeeting';
import { Lobby } from './Lobby';
import { type MediaModule, setMediaLoader } from './media-store';
import { organizerKeyFrom } from './organizer-key';
import { Prejoin } from './Prejoin';
import { sessionStore } from './session-store';

export interface ShellProps {
  meeting: MeetingInfo;
  meetingRef: MeetingRef;
  /** Loads the media chunk (devices, calls): called when the prejoin shows. */
  loadMedia: () => Promise<MediaModule>;
}

export function Shell({ meeting, meetingRef, loadMedia }: ShellProps) {
  setMediaLoader(loadMedia);
  const session = useStore(sessionStore);
  switch (session.phase) {
    case 'prejoin':
    case 'joining':
      return (
        <Prejoin
          meeting={meeting}
          meetingRef={meetingRef}
          session={session}
          organizerKey={organizerKeyFrom(location.hash)}
          guestsAllowed={launcherStore.get().config.AllowAnonymousJoin}
        />
      );
    case 'lobby':
      return <Lobby meeting={meeting} session={session} />;
    case 'in-meeting':
      return <InMeeting meeting={meeting} session={session} />;
    case 'ended':
      return <Ended reason={session.finalReason ?? 'left'} />;
  }
}
