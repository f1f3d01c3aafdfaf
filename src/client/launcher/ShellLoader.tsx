import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadShell, type ShellProps } from '../shell-chunk';
import { Loading } from '../ui/Loading';
import { ErrorScreen } from './ErrorScreen';

/**
 * The media chunk (devices, calls), loaded by the shell when the prejoin shows. Imported from here,
 * not from the shell chunk: a lazy chunk importing another would bring back Vite's preload helper.
 */
const loadMedia = () => import('../media/media');

/** Loads the meetings shell, a lazy chunk, and its stylesheet, on "Join in browser". */
export function ShellLoader(props: Omit<ShellProps, 'loadMedia'>) {
  const [Shell, setShell] = useState<FunctionComponent<ShellProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadShell().then(
      (component) => setShell(() => component),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <ErrorScreen code="service-unreachable" canRetry={false} />;
  return Shell ? <Shell {...props} loadMedia={loadMedia} /> : <Loading />;
}
