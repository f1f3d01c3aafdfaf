/**
 * Runs `fn` once the page has loaded. A page that came with its first screen paints it while still
 * loading; what that screen does not need (the rest of the catalog, the service worker's
 * registration, the desktop app's attempt, which would cut the load short) waits for the load
 * event, so it neither competes with the first paint for the network nor holds it up. An event, not
 * a timer: it also holds under frozen or throttled timers.
 */
export function afterLoad(fn: () => void): void {
  if (document.readyState === 'complete') fn();
  else window.addEventListener('load', () => fn(), { once: true });
}

const FCP = 'first-contentful-paint';

/**
 * Runs `fn` once the page has loaded and shown its first screen (paint timing, where the browser
 * has it): what that screen does not need must not reach the network before it is on screen.
 * A paint entry, not a timer or a frame callback: it also holds under frozen timers.
 */
export function afterFirstPaint(fn: () => void): void {
  afterLoad(() => {
    if (!PerformanceObserver.supportedEntryTypes?.includes('paint') || performance.getEntriesByName(FCP).length) {
      return fn();
    }
    const observer = new PerformanceObserver((list) => {
      if (!list.getEntriesByName(FCP).length) return;
      observer.disconnect();
      fn();
    });
    observer.observe({ type: 'paint' });
  });
}
