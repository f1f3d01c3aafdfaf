import { describe, expect, it } from 'vitest';
import { CATALOG_LOADERS } from '../../src/client/i18n/catalogs';
import { messages as source } from '../../src/client/i18n/en-US';
import { problemKey, setCatalog, t } from '../../src/client/i18n/t';
import { SUPPORTED_LOCALES } from '../../src/shared/config-page';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(SUPPORTED_LOCALES)('catalog %s', (locale) => {
  it('has every key, no extra key, the same placeholders, and real words', async () => {
    const { messages } = await CATALOG_LOADERS[locale]();
    expect(Object.keys(messages).sort()).toEqual(Object.keys(source).sort());
    for (const [key, text] of Object.entries(source)) {
      const translated = messages[key as keyof typeof source];
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });

  it('is translated (not the English text) except where words are the same', async () => {
    if (locale === 'en-US') return;
    const { messages } = await CATALOG_LOADERS[locale]();
    const same = Object.entries(source).filter(([key, text]) => messages[key as keyof typeof source] === text);
    expect(same.map(([key]) => key)).toEqual([]);
  });
});

describe('problemKey', () => {
  it('names the specific message when the loaded catalog has one, else the family’s generic one', async () => {
    const { messages } = await CATALOG_LOADERS['de-DE']();
    setCatalog(messages, 'de-DE');
    expect(problemKey('chat', 'chat-too-long')).toBe('chat.chat-too-long');
    expect(problemKey('chat', 'no-such-code')).toBe('chat.failed');
    expect(problemKey('action', 'not-in-lobby')).toBe('action.not-in-lobby');
    expect(problemKey('action', 'constructor')).toBe('action.failed');
    expect(problemKey('join', 'meeting-full')).toBe('join.meeting-full');
    expect(problemKey('error', 'meeting-ended')).toBe('error.meeting-ended');
    expect(problemKey('error', '__proto__')).toBe('error.unexpected');
    expect(t(problemKey('error', 'teapot'))).toBe(messages['error.unexpected']);
  });
});
