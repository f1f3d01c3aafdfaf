/** The service's environment: production settings are checked at start, with one clear line each. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/server/entry/settings';

describe('settingsFromEnv', () => {
  it('has no TLS, no trusted proxy and no metrics listener unless asked', () => {
    const settings = settingsFromEnv({});
    expect(settings.tls).toBeUndefined();
    expect(settings.trustProxy).toEqual([]);
    expect(settings.metrics).toBeUndefined();
  });

  it('names the node by host name and port unless NODE_NAME says otherwise; the store by DATABASE_URL', () => {
    expect(settingsFromEnv({ PORT: '8443' }).nodeName).toBe(`${os.hostname()}:8443`);
    expect(settingsFromEnv({}).nodeName).toBe(`${os.hostname()}:8080`);
    expect(settingsFromEnv({ NODE_NAME: ' web-2 ' }).nodeName).toBe('web-2');
    expect(settingsFromEnv({}).databaseUrl).toBeUndefined();
    expect(settingsFromEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    const url = 'postgres://meet:s3cret@db.contoso.test:5432/meet';
    expect(settingsFromEnv({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(settingsFromEnv({ DATABASE_URL: 'postgresql://db/meet' }).databaseUrl).toBe('postgresql://db/meet');
  });

  it('refuses a DATABASE_URL that is not PostgreSQL without echoing it (it may hold a password)', () => {
    for (const bad of ['mysql://root:s3cret@db/meet', 's3cret', 'postgres://a b@db/x']) {
      expect(() => settingsFromEnv({ DATABASE_URL: bad })).toThrow(
        'DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:port/database',
      );
      expect(() => settingsFromEnv({ DATABASE_URL: bad })).not.toThrow(/s3cret/);
    }
    expect(() => settingsFromEnv({ NODE_NAME: 'x'.repeat(101) })).toThrow(/NODE_NAME must be at most 100/);
  });

  it('reads TLS files as a pair, proxies as addresses or CIDRs, metrics on loopback by default', () => {
    const settings = settingsFromEnv({
      TLS_CERT_FILE: '/etc/ssl/a.pem',
      TLS_KEY_FILE: '/etc/ssl/a.key',
      TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback',
      METRICS_PORT: '9464',
    });
    expect(settings.tls).toEqual({ certFile: '/etc/ssl/a.pem', keyFile: '/etc/ssl/a.key' });
    expect(settings.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    expect(settings.metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(settingsFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '10.1.2.3' }).metrics?.host).toBe('10.1.2.3');
  });

  it.each([
    [{ TLS_CERT_FILE: '/a.pem' }, 'TLS_CERT_FILE and TLS_KEY_FILE go together'],
    [{ TLS_KEY_FILE: '/a.key' }, 'TLS_CERT_FILE and TLS_KEY_FILE go together'],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY takes addresses or CIDRs of your proxies (e.g. 127.0.0.1,10.0.0.0/8), not "true"',
    ],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'not "10.0.0.0/33"'],
    [{ TRUST_PROXY: 'proxy.contoso.com' }, 'not "proxy.contoso.com"'],
    [{ METRICS_PORT: 'x' }, 'METRICS_PORT must be a whole number from 0 to 65535, not "x"'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT must be a whole number'],
  ])('refuses %j with one line', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(message);
  });
});
