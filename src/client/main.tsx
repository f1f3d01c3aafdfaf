import { render } from 'preact';
import './styles.css';
import { DIALIN_PAGE_PATH } from '../shared/meeting-url';
import { App } from './launcher/App';
import { launcherStore, startLauncher } from './launcher/store';
import { followLauncher } from './sw-bridge';
import './track-errors';

const root = document.getElementById('app') as HTMLElement;

if (DIALIN_PAGE_PATH.test(window.location.pathname)) {
  // The dial-in directory is a page of its own, loaded only when asked for.
  void import('./dialin/chunk').then((page) => page.showDialInPage(window.location, root));
} else {
  startLauncher(window.location);
  render(<App />, root);
  followLauncher(launcherStore);
}
