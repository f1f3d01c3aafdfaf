/**
 * The one edge where the suite stands in for the operating system: navigations to schemes the
 * browser hands to another program (the desktop app's `conf:`, `tel:`, `intent:`, `itms-apps:` ...).
 *
 * Headless Chromium has no program for them and shows a prompt no automation can answer; once a
 * page has started such a launch, Chromium may drop every later click in that tab. So every page of
 * every context the suite opens cancels them through the Navigation API's `navigate` event (which
 * fires for link clicks and `location.assign` alike) and records them instead: to the page, a
 * cancelled launch is an app that never answered, as on a machine without the app.
 *
 * Firefox (153 ESR) fires no `navigate` event for these schemes: there the guard sees nothing, and
 * a flow that asks for `externalLaunches` is skipped (fixtures.ts); its flows run with the app off.
 */
import type { BrowserContext } from '@playwright/test';

const BINDING = '__meetLauncherExternalLaunch';

export class ExternalLaunches {
  /** Every external launch any watched page started, in order. */
  readonly urls: string[] = [];
  /** Set when the flow asked for the launches; otherwise any launch fails the test. */
  claimed = false;

  async watch(context: BrowserContext): Promise<void> {
    await context.exposeBinding(BINDING, (_source, url: string) => {
      this.urls.push(url);
    });
    await context.addInitScript(cancelExternalLaunches, BINDING);
  }
}

/** Runs in every frame before the page's own scripts. */
function cancelExternalLaunches(binding: string): void {
  const navigation = (window as unknown as { navigation?: EventTarget }).navigation;
  if (!navigation) throw new Error('this Chromium has no Navigation API: external launches cannot be stubbed');
  navigation.addEventListener('navigate', (event) => {
    const { destination } = event as unknown as { destination: { url: string } };
    if (/^(https?|about|blob|data|javascript|file):/i.test(destination.url)) return;
    event.preventDefault();
    const record = (window as unknown as Record<string, (url: string) => void>)[binding];
    void record?.(destination.url);
  });
}
