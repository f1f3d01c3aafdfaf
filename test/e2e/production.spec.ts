/**
 * A pool an admin deploys: `npm run serve` from the build on an empty DATA_DIR, over HTTPS with a
 * certificate the test makes. No demo anything; the admin adds a site, a pool with a web host, a
 * meeting and a dial-in number; the printed guest link opens the launcher with the subject and the
 * number (a secure context, the service worker registered, HSTS sent, HTTP/2); a guest waits in
 * the lobby and the printed organizer link admits them. Then the same through the scheduling API.
 */
import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  type Certificate,
  launchChromium,
  makeCertificate,
  newContext,
  type Served,
  serveProduction,
} from './production-helpers';

// The flows build on each other (one server, one store): run them in order, in one worker.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const HOST = 'meet.contoso.test';
let served: Served;
let certificate: Certificate;
let browser: Browser;
const errors: string[] = [];

test.beforeAll(async () => {
  certificate = makeCertificate([HOST]);
  served = await serveProduction({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile });
  browser = await launchChromium({ [HOST]: served.port }, certificate);
});

test.afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

test.afterEach(() => expect(errors, 'uncaught errors in the page').toEqual([]));

interface Links {
  guestLink: string;
  organizerLink: string;
  conferenceId: string;
  phoneConferenceId: string;
}

async function joinWithName(page: Page, name: string) {
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
}

/** A guest opens the guest link and waits in the lobby; the organizer link admits them. */
async function guestAdmittedFromLobby(links: Links, subject: string) {
  const guest = await (await newContext(browser, errors)).newPage();
  await guest.goto(links.guestLink);
  await expect(guest.getByTestId('meeting-subject')).toHaveText(subject);
  await joinWithName(guest, 'Gwen Guest');
  await expect(guest.getByTestId('lobby')).toBeVisible();
  const organizer = await (await newContext(browser, errors)).newPage();
  await organizer.goto(links.organizerLink);
  await joinWithName(organizer, 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveText(/Gwen Guest/);
  await organizer.getByTestId('lobby-admit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await guest.context().close();
  return organizer;
}

test('the admin sets up a pool from nothing; its printed links work over HTTPS', async () => {
  // No demo anything: no sites, pools, meetings, numbers or documents, and no host is served.
  expect(JSON.parse(await served.admin('topology', '--json'))).toEqual({ sites: [] });
  expect(JSON.parse(await served.admin('meetings', '--json'))).toEqual({ meetings: [] });
  expect(JSON.parse(await served.admin('dialin-numbers', '--json'))).toEqual({ numbers: [] });
  expect(JSON.parse(await served.admin('get'))).toEqual([]);

  await served.admin('new-site', '-Identity', 'Redmond');
  await served.admin(
    'new-pool',
    '-Identity',
    'pool03.contoso.com',
    '-Site',
    'Redmond',
    '-WebHost',
    HOST,
    '-SipDomain',
    'contoso.com',
  );
  // Headless Chromium has no desktop app to open; the admin turns the attempt off for the pool.
  await served.admin('set', '-AutoLaunchDesktopClient', 'false');
  await served.admin(
    'new-dialin-number',
    '-Pool',
    'pool03.contoso.com',
    '-Region',
    'US',
    '-Number',
    '+14255550123',
    '-Display',
    '+1 (425) 555-0123',
  );
  const links = JSON.parse(
    await served.admin(
      'new-meeting',
      '-Organizer',
      'alice@contoso.com',
      '-Subject',
      'Quarterly planning',
      '-Lobby',
      '--json',
    ),
  ) as Links;
  expect(links.guestLink).toBe(`https://${HOST}/alice/${links.conferenceId}`);

  const page = await (await newContext(browser, errors)).newPage();
  const response = await page.goto(links.guestLink);
  expect(response?.headers()['strict-transport-security']).toBe('max-age=315360000');
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  expect(
    await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol,
    ),
  ).toBe('h2');
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'registered');
  await page.getByTestId('join-phone').click();
  await expect(page.getByTestId('phone-conference-id')).toHaveText(links.phoneConferenceId);
  await expect(page.getByTestId('phone-panel')).toContainText('+1 (425) 555-0123');
  await page.context().close();

  const organizer = await guestAdmittedFromLobby(links, 'Quarterly planning');
  // The admin removes the meeting from another process: the open page sees it end.
  await served.admin('remove-meeting', '-Identity', `alice/${links.conferenceId}`);
  await expect(organizer.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
  await organizer.context().close();
});

test('a calendar schedules through its API key; the links it gets back work the same', async () => {
  const { key } = JSON.parse(
    await served.admin('new-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'Outlook add-in', '--json'),
  );
  const page = await (await newContext(browser, errors)).newPage();
  await page.goto(`https://${HOST}/healthz`);
  const answer = await page.evaluate(async (bearer) => {
    const response = await fetch('/api/v1/schedule/meetings', {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ organizer: 'alice@contoso.com', subject: 'Booked by the calendar', lobby: true }),
    });
    return { status: response.status, body: await response.json() };
  }, key);
  expect(answer.status).toBe(201);
  const links = answer.body as Links;
  expect(links.guestLink).toBe(`https://${HOST}/alice/${links.conferenceId}`);
  expect(links.phoneConferenceId).toMatch(/^\d{7}$/);
  await page.context().close();

  const organizer = await guestAdmittedFromLobby(links, 'Booked by the calendar');
  // The calendar cancels: the meeting ends for the organizer still in it.
  const removed = await organizer.evaluate(
    async ({ bearer, id }) =>
      (
        await fetch(`/api/v1/schedule/meetings/alice/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${bearer}` },
        })
      ).status,
    { bearer: key, id: links.conferenceId },
  );
  expect(removed).toBe(204);
  await expect(organizer.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
  await organizer.context().close();
});

test('SIGTERM with people in a meeting over HTTP/2: drained within 10 s, the page is told to reconnect', async () => {
  const links = JSON.parse(
    await served.admin('new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'Before the restart', '--json'),
  ) as Links;
  const page = await (await newContext(browser, errors)).newPage();
  await page.goto(links.organizerLink);
  await joinWithName(page, 'Alice Organizer');
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  // npm and the server share the SIGTERM (one process group); the server says when it drained
  // (serve-drain.test.ts checks the exit code and the stored events of the server process itself).
  await served.stop();
  const drained = /meet-launcher stopped on SIGTERM in (\d+) ms/.exec(served.output());
  expect(drained, served.output()).not.toBeNull();
  expect(Number(drained?.[1])).toBeLessThan(10_000);
  await expect(page.getByTestId('reconnecting')).toBeVisible();
  await page.context().close();
});
