import { render } from 'preact';
import type { ConfigStore } from '../config/state';
import { readDialInContext } from '../ui/dialin-links';
import { DialInPage } from './DialInPage';
import { startDialInPage } from './start';

/** Renders once the words and the numbers are there (the loading state covers a slow answer). */
export function showDialInPage(
  location: Location,
  root: HTMLElement,
  config: ConfigStore,
  configRead: Promise<void>,
): void {
  render(
    <main class="page">
      <DialInPage {...readDialInContext(location.search)} />
    </main>,
    root,
  );
  void startDialInPage(location, config, configRead);
}
