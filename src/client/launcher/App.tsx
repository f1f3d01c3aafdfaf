import type { ConfigStore } from '../config/state';
import { useStore } from '../store';
import { Loading } from '../ui/Loading';
import { ErrorScreen } from './ErrorScreen';
import { Launcher } from './Launcher';
import { ShellLoader } from './ShellLoader';
import { launcherStore } from './store';

export function App({ configStore }: { configStore: ConfigStore }) {
  const state = useStore(launcherStore);
  return (
    <main class="page">
      {state.screen === 'loading' && <Loading />}
      {state.screen === 'error' && (
        <ErrorScreen
          code={state.errorCode ?? 'unexpected'}
          canRetry={state.ref !== undefined}
          endedAt={state.endedAt}
        />
      )}
      {state.screen === 'launcher' && state.meeting && (
        <Launcher state={state} meeting={state.meeting} configStore={configStore} />
      )}
      {state.screen === 'shell' && state.meeting && state.ref && (
        <ShellLoader meeting={state.meeting} meetingRef={state.ref} configStore={configStore} />
      )}
    </main>
  );
}
