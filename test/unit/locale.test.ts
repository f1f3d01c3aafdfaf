import { describe, expect, it } from 'vitest';
import { isRightToLeft, matchLocale, negotiateLocale, personalLocale } from '../../src/shared/locale';

describe('matchLocale', () => {
  it.each([
    ['en-US', 'en-US'],
    ['EN-us', 'en-US'],
    ['en', 'en-US'],
    ['en-GB', 'en-US'],
    ['pt-PT', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['de-AT', 'de-DE'],
    ['de-CH', 'de-DE'],
    ['es-MX', 'es-ES'],
    ['fr-CA', 'fr-FR'],
    ['ja', 'ja-JP'],
    ['ar-EG', 'ar-SA'],
    ['zh-Hans-CN', undefined],
    ['ko-KR', undefined],
    ['', undefined],
    ['*', undefined],
    ['en_US', undefined],
    ['<script>', undefined],
    ['javascript:alert(1)', undefined],
    [`en-${'x'.repeat(40)}`, undefined],
  ])('%j → %j', (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected);
  });
});

describe('negotiateLocale', () => {
  it('takes ?lang= over everything', () => {
    expect(negotiateLocale('ja', ['de-DE'], 'fr-FR')).toBe('ja-JP');
  });
  it('ignores a ?lang= that names nothing supported', () => {
    expect(negotiateLocale('xx-YY', ['de-AT'], 'fr-FR')).toBe('de-DE');
    expect(negotiateLocale('"><img>', ['de-AT'], 'fr-FR')).toBe('de-DE');
  });
  it('walks the browser languages in order, with parent cultures', () => {
    expect(negotiateLocale(null, ['ko-KR', 'pt-PT', 'en-US'], '')).toBe('pt-BR');
  });
  it('falls back to the pool default, then en-US', () => {
    expect(negotiateLocale(null, ['ko-KR', 'zh-CN'], 'fr-FR')).toBe('fr-FR');
    expect(negotiateLocale(null, ['ko-KR'], '')).toBe('en-US');
    expect(negotiateLocale(null, [], 'bogus')).toBe('en-US');
  });
  it('knows when it needs the pool at all', () => {
    expect(personalLocale(null, ['ko-KR'])).toBeUndefined();
    expect(personalLocale(null, ['ko-KR', 'es'])).toBe('es-ES');
  });
  it('only Arabic is right to left', () => {
    expect(isRightToLeft('ar-SA')).toBe(true);
    expect(isRightToLeft('ja-JP')).toBe(false);
  });
});
