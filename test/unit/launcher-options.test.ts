import { describe, expect, it } from 'vitest';
import { matchesSearch } from '../../src/client/dialin/search';
import { appLinks, IOS_APP_STORE_URL } from '../../src/client/launcher/app-links';
import { type PlanInput, planJoin } from '../../src/client/launcher/plan';
import { detectPlatform } from '../../src/client/launcher/platform';
import { readLaunchQuery } from '../../src/client/page-query';

const base: PlanInput = {
  skipLaunch: false,
  platform: 'desktop',
  autoLaunchDesktopClient: true,
  prefersBrowser: false,
  showAlternateJoinOptionsExpanded: false,
};

describe('planJoin', () => {
  it('tries the desktop app on a desktop by default, options behind the disclosure', () => {
    expect(planJoin(base)).toEqual({ launchDesktop: true, optionsOpen: false });
  });
  it('ShowAlternateJoinOptionsExpanded opens the options at once', () => {
    expect(planJoin({ ...base, showAlternateJoinOptionsExpanded: true })).toEqual({
      launchDesktop: true,
      optionsOpen: true,
    });
  });
  it.each([
    ['?sl=1', { skipLaunch: true }],
    ['a phone', { platform: 'android' as const }],
    ['an iPhone', { platform: 'ios' as const }],
    ['AutoLaunchDesktopClient false', { autoLaunchDesktopClient: false }],
    ['this device chose the browser', { prefersBrowser: true }],
  ])('does not try the app for %s, and shows every option', (_, patch) => {
    expect(planJoin({ ...base, ...patch })).toEqual({ launchDesktop: false, optionsOpen: true });
  });
});

describe('readLaunchQuery', () => {
  it.each([
    ['', { skipLaunch: false, lang: null }],
    ['?sl=1', { skipLaunch: true, lang: null }],
    ['?SL=1', { skipLaunch: false, lang: null }],
    ['?sl=true', { skipLaunch: true, lang: null }],
    ['?sl=0', { skipLaunch: false, lang: null }],
    ['?sl=1&lang=de-AT', { skipLaunch: true, lang: 'de-AT' }],
    ['?url=https://evil.example&redirect=//evil.example', { skipLaunch: false, lang: null }],
  ])('%j', (search, expected) => {
    expect(readLaunchQuery(search)).toEqual(expected);
  });
});

describe('detectPlatform', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130 Safari/537.36', 0, 'desktop'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36', 5, 'android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 5, 'ios'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15', 5, 'ios'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15', 0, 'desktop'],
  ] as const)('%s', (ua, touch, expected) => {
    expect(detectPlatform(ua, touch)).toBe(expected);
  });
});

describe('appLinks', () => {
  const uri = 'sip:alice@contoso.com;gruu;opaque=app:conf:focus:id:7Q3DSSYV';
  const download = 'https://example.com/get?x=1&y=2';
  it('desktop: the pool scheme, and the download page in a new tab', () => {
    expect(appLinks('desktop', 'conf', uri, download)).toEqual({
      open: `conf:${uri}`,
      get: download,
      getInNewTab: true,
    });
  });
  it('android: intents that fall back to the store', () => {
    const links = appLinks('android', 'conf', uri, download);
    expect(links.open).toMatch(/^intent:sip:alice@contoso\.com;.*#Intent;scheme=conf;package=com\.microsoft\.teams;/);
    expect(links.open).toContain(
      `S.browser_fallback_url=${encodeURIComponent('https://play.google.com/store/apps/details?id=com.microsoft.teams')};end`,
    );
    expect(links.get).toMatch(/^intent:\/\/details\?id=com\.microsoft\.teams#Intent;scheme=market;/);
    expect(links.get).toContain(`S.browser_fallback_url=${encodeURIComponent(download)};end`);
    expect(links.getInNewTab).toBe(false);
  });
  it('ios: the app scheme to open, the App Store scheme to get it', () => {
    expect(appLinks('ios', 'lync', uri, download)).toEqual({
      open: `lync:${uri}`,
      get: IOS_APP_STORE_URL,
      getInNewTab: false,
    });
  });
});

describe('dial-in search', () => {
  const us = { region: 'US', number: '+14255550100', display: '+1 (425) 555-0100', tollFree: false };
  it.each([
    ['', true],
    ['united', true],
    ['UNITED STATES', true],
    ['us', true],
    ['425', true],
    ['+1 425 555', true],
    ['(425) 555-0100', true],
    ['germany', false],
    ['999', false],
  ])('%j', (query, expected) => {
    expect(matchesSearch(us, query, 'United States')).toBe(expected);
  });
  it('ignores accents and case in region names', () => {
    const br = { region: 'BR', number: '+551155550100', display: '+55 11 5555-0100', tollFree: false };
    expect(matchesSearch(br, 'brasil', 'Brasil')).toBe(true);
    const at = { region: 'AT', number: '+4315550100', display: '+43 1 5550100', tollFree: false };
    expect(matchesSearch(at, 'osterreich', 'Österreich')).toBe(true);
  });
  it('finds common short names, native names whatever the reader’s language, and ignores extra spaces', () => {
    const gb = { region: 'GB', number: '+442055550100', display: '+44 20 5555 0100', tollFree: false };
    const us = { region: 'US', number: '+12065550100', display: '+1 (206) 555-0100', tollFree: false };
    const de = { region: 'DE', number: '+493055550100', display: '+49 30 5555 0100', tollFree: false };
    const br = { region: 'BR', number: '+551155550100', display: '+55 11 5555-0100', tollFree: false };
    expect(matchesSearch(gb, 'UK', 'United Kingdom')).toBe(true);
    expect(matchesSearch(gb, 'u.k.', 'United Kingdom')).toBe(true);
    expect(matchesSearch(us, 'USA', 'United States')).toBe(true);
    expect(matchesSearch(de, 'Deutschland', 'Germany')).toBe(true);
    expect(matchesSearch(br, 'Brasil', 'Brazil')).toBe(true);
    expect(matchesSearch(us, '  united    states ', 'United States')).toBe(true);
    expect(matchesSearch(de, 'UK', 'Germany')).toBe(false);
    expect(matchesSearch(us, 'Deutschland', 'United States')).toBe(false);
  });
});
