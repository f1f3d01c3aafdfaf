/**
 * Refuses request paths that only an attacker or a broken client sends: dot segments (plain or
 * percent-encoded), backslashes, NUL and other control bytes, encoded slashes in file paths,
 * double encoding, and percent-escapes that are not valid UTF-8. Static files are served only
 * from exact, known paths; this is the second line, so a future wildcard route cannot be tricked.
 */
import { RESOURCE_PATH } from '../../../shared/constants';

export type PathVerdict = 'ok' | 'odd';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export function pathVerdict(rawPath: string): PathVerdict {
  if (rawPath.includes('\\')) return 'odd';
  // Double encoding (%25xx) is how a second decoder gets fooled.
  if (/%25[0-9a-f]{2}/i.test(rawPath)) return 'odd';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return 'odd'; // a malformed escape or bytes that are not UTF-8 (overlong %c0%ae, ...)
  }
  if (CONTROL.test(decoded) || decoded.includes('\\')) return 'odd';
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'odd';
  return 'ok';
}

/**
 * Paths of files and machine endpoints (never a meeting link): refused outright when odd. Anything
 * else may be a link someone clicked, so it gets the page, which explains what is wrong with it.
 */
export function isResourcePath(rawPath: string): boolean {
  return RESOURCE_PATH.test(rawPath);
}
