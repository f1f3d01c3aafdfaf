/** The census: Client Hints first, the User-Agent string as fallback, the UserID only hashed. */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { censusEvent, deviceFacts, parseUserAgent } from '../../src/client/telemetry/census';
import { hashUserId, USER_ID_NAMESPACE } from '../../src/client/telemetry/user-hash';

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WINDOWS_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

afterEach(() => vi.unstubAllGlobals());

describe('census', () => {
  it('parses the User-Agent string where there are no Client Hints', () => {
    expect(parseUserAgent(IPHONE_UA)).toEqual({ osName: 'iOS', osVersion: '17.5', deviceModel: 'iPhone' });
    expect(parseUserAgent(ANDROID_UA)).toEqual({ osName: 'Android', osVersion: '14', deviceModel: 'Mobile' });
    expect(parseUserAgent(WINDOWS_UA)).toEqual({ osName: 'Windows', osVersion: '10.0', deviceModel: 'Desktop' });
    expect(parseUserAgent('curl/8')).toEqual({ osName: 'Unknown', osVersion: '', deviceModel: 'Desktop' });
  });

  it('prefers Client Hints: the real OS version and device model', async () => {
    const nav = {
      userAgent: ANDROID_UA,
      userAgentData: {
        getHighEntropyValues: async () => ({
          platform: 'Android',
          platformVersion: '14.0.0',
          model: 'Pixel 8',
          mobile: true,
        }),
      },
    } as unknown as Navigator;
    expect(await deviceFacts(nav)).toEqual({ osName: 'Android', osVersion: '14.0.0', deviceModel: 'Pixel 8' });
  });

  it('falls back to the User-Agent when Client Hints fail or are empty', async () => {
    const failing = {
      userAgent: IPHONE_UA,
      userAgentData: { getHighEntropyValues: async () => Promise.reject(new Error('denied')) },
    } as unknown as Navigator;
    expect(await deviceFacts(failing)).toEqual(parseUserAgent(IPHONE_UA));
    const empty = {
      userAgent: WINDOWS_UA,
      userAgentData: { getHighEntropyValues: async () => ({ platform: '', platformVersion: '', model: '' }) },
    } as unknown as Navigator;
    expect(await deviceFacts(empty)).toEqual(parseUserAgent(WINDOWS_UA));
  });

  it('hashes the UserID with SHA-256 and the product namespace, never equal to the clear one', async () => {
    const hashed = await hashUserId('participant-42');
    expect(hashed).toBe(createHash('sha256').update(`${USER_ID_NAMESPACE}participant-42`).digest('hex'));
    expect(hashed).not.toContain('participant-42');
  });

  it('omits the UserID where crypto.subtle is unavailable, never sends it raw', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(await hashUserId('participant-42')).toBeUndefined();
    vi.stubGlobal('navigator', { language: 'pt-BR' });
    const event = censusEvent({ osName: 'Linux', osVersion: '', deviceModel: 'Desktop' }, undefined);
    expect(event).toEqual({
      type: 'census',
      appName: 'meet-launcher',
      osName: 'Linux',
      osVersion: '',
      deviceModel: 'Desktop',
      userLanguage: 'pt-BR',
    });
  });
});
