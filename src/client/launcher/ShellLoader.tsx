import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import type { ShellProps } from '../meeting/Shell';
import shellCss from '../meeting/shell.css?url';
import { ErrorScreen } from './ErrorScreen';
import { Loading } from './Loading';

/**
 * The shell's stylesheet, linked here rather than imported by the chunk: lazy chunks import no CSS,
 * so the launcher's entry carries no dependency-preload helper (build/no-preload-helper.ts).
 */
function linkStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
    link.onload = () => resolve();
    link.onerror = () => reject(new Error(`stylesheet ${href} did not load`));
    document.head.append(link);
  });
}

/** Loads the meetings shell, a lazy chunk, and its stylesheet, on "Join in browser". */
export function ShellLoader({ meeting, meetingRef }: { meeting: MeetingInfo; meetingRef: MeetingRef }) {
  const [Shell, setShell] = useState<FunctionComponent<ShellProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.all([import('../meeting/Shell'), linkStylesheet(shellCss)]).then(
      ([module]) => setShell(() => module.Shell),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <ErrorScreen code="service-unreachable" canRetry={false} />;
  return Shell ? <Shell meeting={meeting} meetingRef={meetingRef} /> : <Loading />;
}
