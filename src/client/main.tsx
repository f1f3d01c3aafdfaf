import { render } from 'preact';
import './styles.css';
import { App } from './launcher/App';
import { startLauncher } from './launcher/store';
import './track-errors';

startLauncher(window.location);
render(<App />, document.getElementById('app') as HTMLElement);
