import { describe, expect, it } from 'vitest';
import { CATALOG_LOADERS } from '../../src/client/i18n/catalogs';
import { messages as source } from '../../src/client/i18n/en-US';
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
