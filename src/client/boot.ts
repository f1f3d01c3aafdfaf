/**
 * Reads what the server put into the page for its first screen (src/shared/boot.ts), once. A page
 * from the service worker, or one whose data is missing or malformed, gets undefined and asks the
 * network instead. Only the entry calls it, once; a retry asks the network.
 */
import { BOOT_ELEMENT_ID, type BootData } from '../shared/boot';
import { SUPPORTED_LOCALES } from '../shared/config-page';

export function takeBootData(): BootData | undefined {
  const element = document.getElementById(BOOT_ELEMENT_ID);
  if (!element) return undefined;
  try {
    const data = JSON.parse(element.textContent ?? '') as BootData;
    // The server wrote it; a page that got something else (a proxy's rewrite) asks the network.
    return typeof data.lookup.status === 'number' && SUPPORTED_LOCALES.includes(data.locale) && data.messages
      ? data
      : undefined;
  } catch {
    return undefined;
  }
}
