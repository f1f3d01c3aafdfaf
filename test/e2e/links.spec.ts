/** Every link ends on the meeting or on an error screen that says which problem it is. */
import { expect, openMeeting, test } from './fixtures';

const BAD_LINKS = [
  '/',
  '/alice',
  '/alice/7Q3DSSYV/extra/segment',
  '/alice/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '/<script>alert(1)</script>/7Q3DSSYV',
  `/alice/${'A'.repeat(40)}`,
  `/${'a'.repeat(300)}/7Q3DSSYV`,
  '/alice/..%2F..%2Fetc%2Fpasswd',
  '/alice/7Q3D%00SSYV',
  '/alice//7Q3DSSYV',
  '/alice/7Q3DSSYV%2Fx',
];

for (const link of BAD_LINKS) {
  test(`bad link ${link.slice(0, 60)} shows the invalid-link screen`, async ({ page, pool }) => {
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await openMeeting(page, pool.url(link));
    await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'invalid-link');
    await expect(page.getByRole('alert')).toContainText('not a valid meeting link');
    expect(dialogs).toBe(0);
  });
}

test('a well-formed link to a meeting that does not exist says so', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/nobody/ABCDEF12'));
  await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'meeting-not-found');
});

test('a meeting of another pool is not found on this one', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/carol/FAB12345'));
  await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'meeting-not-found');
});

test('the tenant form of a link opens the meeting', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/contoso.com/alice/7Q3DSSYV'));
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
});
