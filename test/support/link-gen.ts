/**
 * Meeting links as an attacker or a mangling mail client would send them: unicode, encoded
 * slashes and nulls, script, very long, odd case, hostile query strings and fragments. Shared by
 * the parser and server fuzz (integration, thousands of links) and the browser check (a handful).
 */
import { encodeAny, pick, type Random } from './fuzz-gen';

export const SEGMENTS = [
  'alice',
  'ALICE',
  'aLiCe',
  '7Q3DSSYV',
  '7q3dssyv',
  'kenmyer',
  '071200',
  'contoso.com',
  'nobody',
  'ABCDEF12',
  '%2F',
  '%00',
  '%2e%2e',
  '..',
  '.',
  '%5C',
  '%252F',
  '%E2%80%AE',
  encodeURIComponent('<script>alert(1)</script>'),
  encodeURIComponent('"><img src=x onerror=alert(1)>'),
  encodeURIComponent("<img src=x onerror=fetch('/pwned')>"),
  'javascript:alert(1)',
  encodeURIComponent('名前'),
  encodeURIComponent('🎉'),
  encodeAny('\ud800'),
  'a'.repeat(70),
  '7'.repeat(33),
  '',
];

export const QUERIES = [
  '',
  '',
  '?sl=1',
  '?sl=1&url=javascript:alert(1)',
  '?redirect=https://evil.example/',
  '?next=//evil.example',
  `?q=${encodeURIComponent('<script>alert(1)</script>')}`,
  '#javascript:alert(1)',
  '#organizerKey=<script>alert(1)</script>',
  '?%00=%00',
];

/** Real meetings in the spellings people send: odd case, tenant form, trailing slash. */
export const MEETING_LINKS = [
  '/alice/7Q3DSSYV',
  '/ALICE/7q3dssyv',
  '/contoso.com/alice/7Q3DSSYV',
  '/kenmyer/071200/',
  '/KenMyer/071200',
];

export function generateLink(random: Random): string {
  const roll = random();
  if (roll > 0.9) return `${pick(random, MEETING_LINKS)}${pick(random, QUERIES)}`;
  if (roll < 0.05) return `/${'a'.repeat(300 + Math.floor(random() * 3000))}/7Q3DSSYV`;
  const count = 1 + Math.floor(random() * 4);
  const segments = Array.from({ length: count }, () => pick(random, SEGMENTS));
  // Mix characters inside a segment too, so the generator reaches past the list.
  if (random() < 0.3) {
    const i = Math.floor(random() * segments.length);
    segments[i] = `${segments[i]}${pick(random, SEGMENTS)}`;
  }
  return `/${segments.join('/')}${pick(random, QUERIES)}`;
}
