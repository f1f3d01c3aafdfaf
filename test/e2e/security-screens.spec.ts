/**
 * Every screen, with and without the worker, telemetry off and on: every response carries the
 * security headers, and no CSP or Trusted Types violation is reported.
 */
import type { Response } from '@playwright/test';
import { expect, joinAsGuest, openMeeting, test } from './fixtures';
import { headerProblems, watchForAlarms } from './security-helpers';
import { waitForWorkerControl } from './sw-helpers';

for (const telemetry of ['off', 'on'] as const) {
  test(`every screen (telemetry ${telemetry}): headers on every response, no CSP violation`, async ({
    page,
    pool,
    context,
  }) => {
    const alarms = await watchForAlarms(context);
    const responses: Response[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).port === String(pool.port)) responses.push(response);
    });
    if (telemetry === 'on') expect((await pool.admin('set', '--MeetingUxEnableTelemetry', 'true')).code).toBe(0);

    // Launcher, then the same from the worker.
    await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
    await waitForWorkerControl(page);
    await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
    await expect(page.getByTestId('launcher')).toBeVisible();
    // Shell: prejoin, a refused name, in the meeting, left.
    await page.getByTestId('join-web').click();
    await page.getByTestId('display-name').fill('  ');
    await page.getByTestId('join-submit').click();
    await expect(page.locator('#display-name-problem')).not.toBeEmpty();
    await page.getByTestId('display-name').fill('Screen Tester');
    await page.getByTestId('join-submit').click();
    await expect(page.getByTestId('in-meeting')).toBeVisible();
    await page.getByTestId('leave').click();
    await expect(page.getByTestId('meeting-ended')).toBeVisible();
    // Lobby.
    await openMeeting(page, pool.url('/kenmyer/071200'));
    await joinAsGuest(page, 'Lobby Tester');
    await expect(page.getByTestId('lobby')).toBeVisible();
    await page.getByTestId('lobby-cancel').click();
    await expect(page.getByTestId('meeting-ended')).toBeVisible();
    // Error screens: invalid link, unknown meeting, another pool's meeting.
    for (const [link, code] of [
      ['/not-a-meeting', 'invalid-link'],
      ['/nobody/ABCDEF12', 'meeting-not-found'],
      ['/<script>alert(1)</script>/X', 'invalid-link'],
    ] as const) {
      await openMeeting(page, pool.url(link));
      await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', code);
    }
    // Offline screen, from the worker.
    await context.setOffline(true);
    await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
    await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'offline');
    await context.setOffline(false);
    // Back online the page retries by itself; let it finish before navigating away.
    await expect(page.getByTestId('meeting-subject')).toBeVisible();
    // Without a worker: the insecure demo host.
    await openMeeting(page, pool.url('/alice/7Q3DSSYV', 'meet.contoso.test'));
    await expect(page.getByTestId('launcher')).toBeVisible();

    expect(responses.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const response of responses) {
      const found = headerProblems(await response.allHeaders());
      if (found.length > 0) problems.push(`${response.request().method()} ${response.url()}: ${found.join('; ')}`);
    }
    expect(problems).toEqual([]);
    expect(responses.some((r) => r.fromServiceWorker())).toBe(true);
    expect(alarms.violations).toEqual([]);
    expect(alarms.dialogs).toEqual([]);
    expect(alarms.crashes).toBe(0);
  });
}
