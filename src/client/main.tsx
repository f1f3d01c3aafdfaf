import { render } from 'preact';
import './styles.css';
import { DIALIN_PAGE_PATH } from '../shared/meeting-url';
import { takeBootData } from './boot';
import { startConfig } from './config/start';
import { App } from './launcher/App';
import { launcherStore, startLauncher } from './launcher/store';
import { followLauncher } from './sw-bridge';
import { followTelemetry } from './track';
import './track-errors';

const root = document.getElementById('app') as HTMLElement;
const boot = takeBootData();
// The page's one config store: telemetry and every page area follow it.
const { store: configStore, firstRead } = startConfig(boot?.config);
followTelemetry(configStore);

if (DIALIN_PAGE_PATH.test(window.location.pathname)) {
  // The dial-in directory is a page of its own, loaded only when asked for.
  void import('./phone-chunk').then(async (page) => {
    await page.linkPhoneStylesheet().catch(() => undefined);
    page.showDialInPage(window.location, root, configStore, firstRead);
  });
} else {
  startLauncher(window.location, configStore, firstRead, boot);
  render(<App configStore={configStore} />, root);
  followLauncher(launcherStore);
}
