/** Every response carries the security headers, the CSP and HSTS following the pool's config. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/server/routes/security-headers';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp;
// The requests below arrive as if through a TLS-terminating proxy on this machine, so HSTS applies.
beforeAll(async () => {
  t = await startTestApp({ trustProxy: ['127.0.0.1'] });
});
const HTTPS = { 'x-forwarded-proto': 'https' };
afterAll(() => t.close());

function expectHeaders(headers: Record<string, unknown>, hsts = 315360000) {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("require-trusted-types-for 'script'");
  expect(csp).toContain('trusted-types sw-bridge');
  expect(headers['strict-transport-security']).toBe(`max-age=${hsts}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toMatch(/(^|, )camera=\(self\)(,|$)/);
  expect(headers['permissions-policy']).toMatch(/(^|, )microphone=\(self\)(,|$)/);
  expect(headers['x-frame-options']).toBe('DENY');
}

const REQUESTS: { method: 'GET' | 'POST' | 'HEAD' | 'DELETE' | 'PUT'; url: string; host?: string; body?: string }[] = [
  { method: 'GET', url: '/alice/7Q3DSSYV' },
  { method: 'GET', url: '/not/a/meeting/link/at/all' },
  { method: 'GET', url: '/index.html' },
  { method: 'HEAD', url: '/index.html' },
  { method: 'GET', url: '/assets/index-abc123.js' },
  { method: 'GET', url: '/assets/missing.js' },
  { method: 'GET', url: '/sw.js' },
  { method: 'GET', url: '/config/webservice.json' },
  { method: 'GET', url: '/api/v1/meetings/alice/7Q3DSSYV' },
  { method: 'GET', url: '/api/v1/meetings/nobody/ABC' },
  { method: 'GET', url: '/api/v1/nothing-here' },
  { method: 'POST', url: '/api/v1/meetings/alice/7Q3DSSYV/participants', body: 'not json' },
  { method: 'DELETE', url: '/api/v1/participants/x' },
  { method: 'POST', url: '/telemetry/v1/batch', body: '{}' },
  { method: 'PUT', url: '/alice/7Q3DSSYV' },
  { method: 'GET', url: '/healthz' },
  { method: 'GET', url: '/assets/..%2f..%2foutside.txt' },
  { method: 'GET', url: '/alice/7Q3DSSYV', host: 'unknown.example' },
  { method: 'GET', url: '/api/v1/meetings/alice/7Q3DSSYV', host: 'unknown.example' },
];

describe('security headers', () => {
  for (const request of REQUESTS) {
    it(`are on ${request.method} ${request.url}${request.host ? ` (host ${request.host})` : ''}`, async () => {
      const response = await t.app.inject({
        method: request.method,
        url: request.url,
        headers: { host: request.host ?? '127.0.0.1', 'content-type': 'application/json', ...HTTPS },
        payload: request.body,
      });
      expectHeaders(response.headers);
    });
  }

  it('follow the pool: connect-src names the telemetry origin, HSTS its max-age', async () => {
    await putDocument(
      t.sql,
      { kind: 'global' },
      {
        ...PRODUCT_DEFAULTS,
        TelemetryEndpoint: 'https://telemetry.contoso.com/ingest/v1',
        HstsMaxAgeInSeconds: 600,
      },
    );
    try {
      const response = await t.app.inject({ url: '/alice/7Q3DSSYV', headers: { host: '127.0.0.1', ...HTTPS } });
      expectHeaders(response.headers, 600);
      expect(response.headers['content-security-policy']).toContain(
        "connect-src 'self' https://telemetry.contoso.com;",
      );
    } finally {
      await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
    }
  });

  it('sends HSTS over HTTPS only: plain HTTP, or a forwarded scheme from an untrusted address, gets none', async () => {
    const plain = await t.app.inject({ url: '/alice/7Q3DSSYV', headers: { host: '127.0.0.1' } });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['content-security-policy']).toContain("default-src 'self'");
    const spoofed = await t.app.inject({
      url: '/alice/7Q3DSSYV',
      headers: { host: '127.0.0.1', ...HTTPS },
      remoteAddress: '198.51.100.7',
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('never lets a strange endpoint widen the CSP', () => {
    for (const endpoint of [
      'http://evil.test/x',
      "https://a.test; script-src 'unsafe-inline'",
      'not a url',
      'javascript:alert(1)',
    ]) {
      const csp = contentSecurityPolicy(endpoint);
      expect(csp).toContain("connect-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
    }
  });
});
