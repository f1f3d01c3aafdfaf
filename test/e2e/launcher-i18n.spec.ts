/** Seven languages: each one's first screen, negotiation, and only the chosen catalog downloaded. */
import { expect, openMeeting, test } from './fixtures';
import { ALICE, setGlobal } from './launcher-helpers';

const FIRST_SCREEN = {
  'en-US': { join: 'Join in this browser', dir: 'ltr' },
  'pt-BR': { join: 'Participar neste navegador', dir: 'ltr' },
  'es-ES': { join: 'Unirse en este navegador', dir: 'ltr' },
  'fr-FR': { join: 'Rejoindre dans ce navigateur', dir: 'ltr' },
  'de-DE': { join: 'In diesem Browser teilnehmen', dir: 'ltr' },
  'ja-JP': { join: 'このブラウザーで参加', dir: 'ltr' },
  'ar-SA': { join: 'الانضمام في هذا المستعرض', dir: 'rtl' },
} as const;

const catalogsFetched = (urls: string[]) =>
  urls.map((u) => /\/assets\/([a-z]{2}-[A-Z]{2})-[\w-]+\.js$/.exec(new URL(u).pathname)?.[1]).filter(Boolean);

for (const [locale, expected] of Object.entries(FIRST_SCREEN)) {
  test.describe(`browser language ${locale}`, () => {
    test.use({ locale });

    test('first screen in that language, <html lang dir>, only its catalog downloaded', async ({
      page,
      pool,
      requests,
    }) => {
      await openMeeting(page, pool.url(`${ALICE}?sl=1`));
      await expect(page.getByTestId('join-web')).toHaveText(expected.join);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.locator('html')).toHaveAttribute('dir', expected.dir);
      await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
      // The first screen's messages come with the page; the rest of its catalog follows after
      // load, so await that request. The page asks for its own catalog only (the service worker
      // may precache the rest later, for offline use, once the launcher has painted).
      await expect
        .poll(() => catalogsFetched(requests.filter((r) => !r.byServiceWorker).map((r) => r.url)))
        .toEqual([locale]);
    });
  });
}

test.describe('parent cultures', () => {
  for (const [browser, chosen] of [
    ['pt-PT', 'pt-BR'],
    ['de-AT', 'de-DE'],
    ['es-MX', 'es-ES'],
    ['fr-CA', 'fr-FR'],
    ['ar-EG', 'ar-SA'],
  ] as const) {
    test.describe(browser, () => {
      test.use({ locale: browser });
      test(`${browser} → ${chosen}`, async ({ page, pool }) => {
        await openMeeting(page, pool.url(`${ALICE}?sl=1`));
        await expect(page.locator('html')).toHaveAttribute('lang', chosen);
      });
    });
  }
});

test.describe('a browser language we do not have', () => {
  test.use({ locale: 'ko-KR' });

  test('falls back to the pool’s DefaultLanguage, then en-US', async ({ page, pool }) => {
    await openMeeting(page, pool.url(`${ALICE}?sl=1`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
    await setGlobal(pool, { DefaultLanguage: 'ja-JP' });
    await openMeeting(page, pool.url(`${ALICE}?sl=1`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await expect(page.getByTestId('join-web')).toHaveText('このブラウザーで参加');
  });
});

test.describe('?lang=', () => {
  test.use({ locale: 'de-DE' });

  test('overrides the browser and the pool; nonsense is ignored', async ({ page, pool }) => {
    await setGlobal(pool, { DefaultLanguage: 'fr-FR' });
    await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=ar`));
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar-SA');
    await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=%22%3E%3Cimg%20src%3Dx%3E`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  });

  test('error screens speak the language too', async ({ page, pool }) => {
    await openMeeting(page, pool.url('/nobody/ABCDEF12?lang=ja'));
    await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'meeting-not-found');
    await expect(page.getByRole('alert')).toContainText('この会議が見つかりませんでした');
    await expect(page).toHaveTitle('会議に参加');
  });
});
