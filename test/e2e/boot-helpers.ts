/**
 * Flows about the page's own network path (a config or lookup that fails, hangs or lies) serve the
 * page as the service worker would on a repeat visit: without the first screen's data the server
 * puts into it (src/shared/boot.ts), so the page has to ask the network.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { BOOT_ELEMENT_ID } from '../../src/shared/boot';

const BOOT_ELEMENT = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">[^<]*</script>\\n?`);

export async function withoutFirstScreenData(target: Page | BrowserContext): Promise<void> {
  await target.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    const html = await response.text();
    if (!BOOT_ELEMENT.test(html)) throw new Error('the page carried no first-screen data to remove');
    // The body is handed back decoded: drop the encoding and length of the compressed original.
    const headers = Object.fromEntries(
      Object.entries(response.headers()).filter(([name]) => !/^content-(encoding|length)$/i.test(name)),
    );
    await route.fulfill({ status: response.status(), headers, body: html.replace(BOOT_ELEMENT, '') });
  });
}
