/**
 * Runs `fn` once the next frame has been painted: work the first screen does not need (the rest of
 * the catalog, the service worker's registration) waits for it, so it neither competes with the
 * first paint for the network nor counts toward it.
 */
export function afterNextPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
