import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import type { ShellProps } from '../meeting/Shell';
import { ErrorScreen } from './ErrorScreen';
import { Loading } from './Loading';

/** Loads the meetings shell, a lazy chunk, on "Join in browser". */
export function ShellLoader({ meeting, meetingRef }: { meeting: MeetingInfo; meetingRef: MeetingRef }) {
  const [Shell, setShell] = useState<FunctionComponent<ShellProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('../meeting/Shell').then(
      (module) => setShell(() => module.Shell),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <ErrorScreen code="service-unreachable" canRetry={false} />;
  return Shell ? <Shell meeting={meeting} meetingRef={meetingRef} /> : <Loading />;
}
