/** Deterministic generators for the fuzz tests (integration and e2e): same seed, same inputs, every run. */

/** mulberry32: a tiny seeded PRNG, so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: Random, max: number) => Math.floor(random() * max);

const NASTY_STRINGS = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '\u0000',
  '\u202e\u2066evil',
  '../../etc/passwd',
  '%00',
  '%2F%2E%2E',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}{{7*7}}',
  '👩🏽‍💻🎉',
  'Ω≈ç√∫',
  'اختبار',
  '\ud800',
  'A'.repeat(5000),
  'null',
  'true',
  '__proto__',
  'constructor',
];

/** A value of any JSON type, nested to a random depth. */
export function jsonValue(random: Random, depth = 0): unknown {
  const kind = int(random, depth > 3 ? 6 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1e308, -1e308, 0.5, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return pick(random, NASTY_STRINGS);
    case 5:
      return int(random, 1000);
    case 6:
      return Array.from({ length: int(random, 5) }, () => jsonValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = int(random, 5); i > 0; i--) {
        const key = pick(random, [...NASTY_STRINGS, 'displayName', 'events', 'type']);
        // An own property even for "__proto__", as JSON.parse makes it (a plain assignment would
        // change the object's prototype instead).
        Object.defineProperty(object, key, {
          value: jsonValue(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** A request body that is never a valid API request: wrong types, huge, deep, not JSON at all. */
export function hostileBody(random: Random): string {
  switch (int(random, 12)) {
    case 0:
      return '';
    case 1:
      return pick(random, [
        '{',
        '[',
        '{"displayName":',
        'nul',
        '{"a":1,}',
        "{'a':1}",
        '\ufeff{}',
        '<html>',
        'undefined',
      ]);
    case 2:
      return `${'['.repeat(5000)}${']'.repeat(5000)}`;
    case 3:
      return JSON.stringify({ displayName: 'x'.repeat(70_000 + int(random, 100_000)) });
    case 4:
      return JSON.stringify({ displayName: jsonValue(random) === null ? 42 : [jsonValue(random)] });
    case 5:
      return JSON.stringify({ displayName: `bad\u0000${pick(random, NASTY_STRINGS)}` });
    case 6:
      return '{"__proto__":{"admin":true,"MeetingUxEnableTelemetry":true},"constructor":{"prototype":{"x":1}}}';
    case 7:
      return JSON.stringify({ events: Array.from({ length: int(random, 3) }, () => jsonValue(random)) });
    case 8:
      return JSON.stringify({ displayName: 'x'.repeat(65 + int(random, 900)) });
    case 9:
      return JSON.stringify({ displayName: 'Fine Name', extra: jsonValue(random) });
    case 10:
      return String(jsonValue(random));
    default:
      return JSON.stringify(jsonValue(random));
  }
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json, text/html',
  'APPLICATION/JSON',
] as const;

/** Percent-encodes, a lone surrogate included (as the invalid UTF-8 a sloppy client would send). */
export function encodeAny(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

/** A path segment that is odd in some way: encoded, unicode, script, very long, odd case. */
export function hostileSegment(random: Random): string {
  switch (int(random, 10)) {
    case 0:
      return encodeAny(pick(random, NASTY_STRINGS)) || 'x';
    case 1:
      return pick(random, ['%2F', '%00', '%2e%2e', '%5C', '%252F', '%E0%A4%A', '%c0%ae', '%ff', '%']);
    case 2:
      return 'a'.repeat(1 + int(random, 700));
    case 3:
      return encodeURIComponent('名前');
    case 4:
      return pick(random, ['ALICE', 'Alice', 'aLiCe', '7q3dssyv', '7Q3DSSYV']);
    case 5:
      return `${pick(random, ['alice', 'bob'])}${pick(random, ['%20', '%09', '.', '-', '_', '..'])}`;
    case 6:
      return encodeURIComponent('<svg onload=alert(1)>');
    case 7:
      return String(int(random, 1e9));
    case 8:
      return encodeURIComponent('ï»¿');
    default:
      return pick(random, ['alice', 'kenmyer', 'nobody', 'x', '071200', 'ABCDEFGH']);
  }
}
