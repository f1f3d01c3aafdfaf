import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MeetingInfo } from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import type { ShellProps } from '../meeting/Shell';
import shellCss from '../meeting/shell.css?url';
import { ErrorScreen } from './ErrorScreen';
import { Loading } from './Loading';

let stylesheet: Promise<void> | undefined;

/**
 * The shell's stylesheet, linked here (once per page) rather than imported by the chunk: lazy
 * chunks import no CSS, so the launcher's entry carries no dependency-preload helper
 * (build/no-preload-helper.ts). A failed load is forgotten, so a later join tries again.
 */
function linkShellStylesheet(): Promise<void> {
  stylesheet ??= new Promise<void>((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: shellCss });
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      stylesheet = undefined;
      reject(new Error(`stylesheet ${shellCss} did not load`));
    };
    document.head.append(link);
  });
  return stylesheet;
}

/** The media chunk (devices, calls), loaded by the shell when the prejoin shows. */
const loadMedia = () => import('../media/media');

/** Loads the meetings shell, a lazy chunk, and its stylesheet, on "Join in browser". */
export function ShellLoader({ meeting, meetingRef }: { meeting: MeetingInfo; meetingRef: MeetingRef }) {
  const [Shell, setShell] = useState<FunctionComponent<ShellProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.all([import('../meeting/Shell'), linkShellStylesheet()]).then(
      ([module]) => setShell(() => module.Shell),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <ErrorScreen code="service-unreachable" canRetry={false} />;
  return Shell ? <Shell meeting={meeting} meetingRef={meetingRef} loadMedia={loadMedia} /> : <Loading />;
}
