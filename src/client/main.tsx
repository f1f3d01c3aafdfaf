import { render } from 'preact';
import './styles.css';
import { App } from './launcher/App';
import { launcherStore, startLauncher } from './launcher/store';
import { followLauncher } from './sw-bridge';

startLauncher(window.location);
render(<App />, document.getElementById('app') as HTMLElement);
followLauncher(launcherStore);
