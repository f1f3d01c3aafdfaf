/** Every published link form opens the meeting; no query parameter takes the page elsewhere. */
import { expect, openMeeting, test } from './fixtures';
import { ALICE_URI } from './launcher-helpers';

for (const path of [
  '/alice/7Q3DSSYV',
  '/ALICE/7q3dssyv',
  '/contoso.com/alice/7Q3DSSYV',
  '/Meet/alice/7Q3DSSYV',
  '/meet/alice/7Q3DSSYV/',
  '/contoso.com/Meet/alice/7Q3DSSYV',
  '/CONTOSO.COM/MEET/alice/7Q3DSSYV',
]) {
  test(`${path} opens the meeting with its conference URI`, async ({ page, pool }) => {
    await openMeeting(page, pool.url(`${path}?sl=1`));
    await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
    await expect(page.getByTestId('join-desktop')).toHaveAttribute('href', `conf:${ALICE_URI}`);
  });
}

test('the path-hosted form on the fabrikam pool', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/fabrikam.com/Meet/carol/FAB12345?sl=1', 'meet.fabrikam.test'));
  await expect(page.getByTestId('meeting-subject')).toHaveText('Partner sync');
  await expect(page.getByTestId('join-desktop')).toHaveAttribute(
    'href',
    'conf:sip:carol@fabrikam.com;gruu;opaque=app:conf:focus:id:FAB12345',
  );
});

test('no query parameter sends the page to another site', async ({ page, pool, context }) => {
  const offsite: string[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).port !== String(pool.port)) offsite.push(request.url());
  });
  const evil = encodeURIComponent('https://evil.example/phish');
  await openMeeting(
    page,
    pool.url(
      `/alice/7Q3DSSYV?sl=1&url=${evil}&redirect=${evil}&returnUrl=${evil}&next=//evil.example&lang=${evil}&target=${evil}`,
    ),
  );
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  await page.getByTestId('join-phone').click();
  expect(new URL(page.url()).host).toBe(`127.0.0.1:${pool.port}`);
  for (const link of await page.locator('a[href]').all()) {
    expect(await link.getAttribute('href')).not.toContain('evil.example');
  }
  expect(offsite).toEqual([]);
});
