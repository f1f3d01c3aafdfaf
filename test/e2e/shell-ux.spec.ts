/** The meeting screens' finish (issue 16, item 10): each check fails without its fix. */
import { openMeeting } from './fixtures';
import { ALICE, expect, organizerLink, say, test } from './shell-helpers';

test('in the meeting the tab says so, and says "Join meeting" again after leaving', async ({ pool, people }) => {
  const page = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await expect(page).toHaveTitle('Quarterly planning · Meeting');
  await page.getByTestId('leave').click();
  await expect(page).toHaveTitle('Join meeting');
});

test('web links in chat are real links that open safely; anything else stays text', async ({ pool, people }) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  await say(ann, 'Notes at https://contoso.test/notes?id=7. Not javascript:alert(1) nor <a href="x">this</a>');
  const text = ben.getByTestId('chat-text');
  await expect(text).toHaveText(
    'Notes at https://contoso.test/notes?id=7. Not javascript:alert(1) nor <a href="x">this</a>',
  );
  const links = text.getByRole('link');
  await expect(links).toHaveCount(1);
  await expect(links).toHaveText('https://contoso.test/notes?id=7');
  await expect(links).toHaveAttribute('href', 'https://contoso.test/notes?id=7');
  await expect(links).toHaveAttribute('target', '_blank');
  await expect(links).toHaveAttribute('rel', /noopener/);
  await expect(links).toHaveAttribute('rel', /noreferrer/);
  expect(await text.locator('a[href^="javascript"], b, a[href="x"]').count()).toBe(0);
});

test('on a 360 px phone the composer and Send are on screen without scrolling, not covered', async ({
  pool,
  people,
}) => {
  await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  const phone = await people.newPage({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  await openMeeting(phone, pool.url(`${ALICE}?sl=1`));
  await phone.getByTestId('join-web').click();
  await phone.getByTestId('display-name').fill('Cy Park');
  await phone.getByTestId('join-submit').click();
  await expect(phone.getByTestId('media-tile')).toHaveCount(3);
  await phone.evaluate(() => window.scrollTo(0, 0));
  for (const id of ['chat-input', 'chat-send']) {
    const box = await phone.getByTestId(id).boundingBox();
    expect(box, id).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0), `${id} bottom`).toBeLessThanOrEqual(640);
    expect(box?.x ?? -1, `${id} left`).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0), `${id} right`).toBeLessThanOrEqual(360);
    const onTop = await phone.evaluate(
      ([x, y, testId]) =>
        document.elementFromPoint(x as number, y as number)?.closest(`[data-testid="${testId}"]`) !== null,
      [(box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2, id] as const,
    );
    expect(onTop, `${id} is not covered`).toBe(true);
  }
  // It works there, and scrolled to the end the page shows the whole chat log above it.
  await say(phone, 'from the phone');
  await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const logBox = await phone.locator('.chat-log').boundingBox();
  const composerBox = await phone.locator('.composer').boundingBox();
  expect((logBox?.y ?? 0) + (logBox?.height ?? 0)).toBeLessThanOrEqual(composerBox?.y ?? 0);
});

test('Leave and End meeting do not look alike', async ({ pool, people }) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const look = (id: string) =>
    organizer.getByTestId(id).evaluate((el) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, color: style.color };
    });
  const leave = await look('leave');
  const end = await look('end-meeting');
  expect(end.background).not.toBe(leave.background);
  expect(end.color).not.toBe(leave.color);
});

test('the prejoin’s Join is as big as the launcher’s main button, and no empty problem line leaves a gap', async ({
  page,
  pool,
}) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  const main = page.getByTestId('join-web');
  const mainBox = await main.boundingBox();
  const cardWidth = async () => (await page.locator('.card').first().boundingBox())?.width ?? 0;
  const launcherCard = await cardWidth();
  await main.click();
  const join = page.getByTestId('join-submit');
  await expect(join).toBeVisible();
  const joinBox = await join.boundingBox();
  const prejoinCard = await cardWidth();
  expect(joinBox?.height).toBeGreaterThanOrEqual((mainBox?.height ?? 0) - 0.5);
  // The same share of its card (both full width).
  expect((joinBox?.width ?? 0) / prejoinCard).toBeCloseTo((mainBox?.width ?? 0) / launcherCard, 2);

  const problem = page.getByTestId('join-problem');
  await expect(problem).toHaveText('');
  expect((await problem.boundingBox())?.height ?? -1).toBe(0);
  const gap = async () => {
    const hint = await page.locator('#display-name-hint').boundingBox();
    const button = await join.boundingBox();
    return (button?.y ?? 0) - ((hint?.y ?? 0) + (hint?.height ?? 0));
  };
  const emptyGap = await gap();
  await join.click(); // no name: the problem shows
  await expect(problem).toHaveText('Enter your name to join.');
  expect((await problem.boundingBox())?.height ?? 0).toBeGreaterThan(10);
  expect(await gap()).toBeGreaterThan(emptyGap);
  expect(emptyGap).toBeLessThanOrEqual(40);
});
