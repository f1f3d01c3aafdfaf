/**
 * Behind a reverse proxy: the nginx site of docs/operations.md terminates TLS and forwards to `npm run serve`
 * with TRUST_PROXY=127.0.0.1. The service takes the client address, scheme and host from the
 * forwarded headers: rate limits key on the forwarded address (127.0.0.2 is limited, 127.0.0.3 is
 * not), HSTS is sent because the scheme is https, and links say https.
 */
import { type Browser, expect, test } from '@playwright/test';
import { SCHEDULE_RATE_LIMIT_PER_MINUTE } from '../../src/server/http/routes/schedule';
import {
  type Certificate,
  launchChromium,
  makeCertificate,
  type Nginx,
  newContext,
  requestVia,
  type Served,
  serveProduction,
  startNginx,
} from './production-helpers';

// One server and one proxy for both flows: in order, in one worker.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const HOST = 'meet.contoso.test';
let served: Served;
let certificate: Certificate;
let nginx: Nginx;
let browser: Browser;
let key: string;
const errors: string[] = [];

test.beforeAll(async () => {
  certificate = makeCertificate([HOST]);
  served = await serveProduction({ TRUST_PROXY: '127.0.0.1' });
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
  await served.admin('set', '-AutoLaunchDesktopClient', 'false');
  key = JSON.parse(await served.admin('new-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'Bot', '--json')).key;
  nginx = await startNginx(served.port, HOST, certificate);
  browser = await launchChromium({ [HOST]: nginx.port }, certificate);
});

test.afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await served?.stop();
});

test.afterEach(() => expect(errors, 'uncaught errors in the page').toEqual([]));

const schedule = (from: string, bearer: string) =>
  requestVia(nginx.port, HOST, certificate, {
    method: 'POST',
    path: '/api/v1/schedule/meetings',
    from,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ organizer: 'alice@contoso.com', subject: 'Through the proxy' }),
  });

test('links say https and HSTS is sent; the page works through the proxy', async () => {
  const scheduled = await schedule('127.0.0.4', key);
  expect(scheduled.status).toBe(201);
  expect(scheduled.headers['strict-transport-security']).toBe('max-age=315360000');
  const links = JSON.parse(scheduled.body) as { guestLink: string; conferenceId: string };
  expect(links.guestLink).toBe(`https://${HOST}/alice/${links.conferenceId}`);

  const page = await (await newContext(browser, errors)).newPage();
  const response = await page.goto(links.guestLink);
  expect(response?.headers()['strict-transport-security']).toBe('max-age=315360000');
  await expect(page.getByTestId('meeting-subject')).toHaveText('Through the proxy');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill('Proxied Guest');
  await page.getByTestId('join-submit').click();
  // The event stream passes the proxy unbuffered: the roster arrives.
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await expect(page.getByTestId('roster-entry')).toHaveText([/Proxied Guest/]);
  await page.context().close();

  // Straight to the service (not through the proxy), plain http: no HSTS.
  const direct = await fetch(`http://127.0.0.1:${served.port}/readyz`);
  expect(direct.headers.get('strict-transport-security')).toBeNull();
});

test('the rate limit keys on the forwarded client address, not the proxy', async () => {
  for (let i = 0; i < SCHEDULE_RATE_LIMIT_PER_MINUTE; i++) {
    expect((await schedule('127.0.0.2', 'mlk_wrong')).status).toBe(401);
  }
  expect((await schedule('127.0.0.2', 'mlk_wrong')).status).toBe(429);
  // Another client behind the same proxy is not held back.
  expect((await schedule('127.0.0.3', 'mlk_wrong')).status).toBe(401);
  expect((await schedule('127.0.0.3', key)).status).toBe(201);
});
