import { describe, expect, it } from 'vitest';
import { linkify } from '../../src/client/meeting/linkify';

describe('linkify (chat links)', () => {
  it('makes http and https addresses links and keeps the rest as text', () => {
    expect(linkify('See https://contoso.com/a?b=1#c and http://x.test.')).toEqual([
      { text: 'See ' },
      { text: 'https://contoso.com/a?b=1#c', href: 'https://contoso.com/a?b=1#c' },
      { text: ' and ' },
      { text: 'http://x.test', href: 'http://x.test/' },
      { text: '.' },
    ]);
  });

  it('never links other schemes, and keeps markup as text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      '<a href="https://evil.test">x</a>',
      'file:///etc/passwd',
    ]) {
      const segments = linkify(text);
      expect(segments.map((s) => s.text).join('')).toBe(text);
      for (const s of segments) if (s.href) expect(s.href.startsWith('https://evil.test')).toBe(true);
    }
    expect(linkify('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)' }]);
    // The quote ends the link: the attribute text around it stays text.
    expect(linkify('<a href="https://evil.test">x</a>').filter((s) => s.href)).toEqual([
      { text: 'https://evil.test', href: 'https://evil.test/' },
    ]);
  });

  it('leaves text with no link as one segment, and keeps a parenthesis that belongs to the URL', () => {
    expect(linkify('no links here')).toEqual([{ text: 'no links here' }]);
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/Foo_(bar)', href: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      { text: ')' },
    ]);
    expect(linkify('https://')).toEqual([{ text: 'https://' }]);
  });
});
