/**
 * Splits chat text into plain text and web links, so http(s) addresses become real links. Only
 * http: and https: URLs that the URL parser accepts become links; everything else stays text.
 * The result is rendered as text nodes and <a href> by Preact: never HTML from a peer.
 */
export type Segment = { text: string; href?: string };

// Up to whitespace or a character that cannot end a link in prose.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Closing punctuation right after a link belongs to the sentence.
const TRAILING = '.,;:!?)]}\'"»”’';

/** Drops sentence punctuation from the end, keeping a ")" that closes a "(" inside the link. */
function trimEnd(raw: string): string {
  let end = raw.length;
  while (end > 0 && TRAILING.includes(raw[end - 1] as string)) {
    const head = raw.slice(0, end);
    if (raw[end - 1] === ')' && head.split('(').length >= head.split(')').length) break;
    end--;
  }
  return raw.slice(0, end);
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = trimEnd(match[0]);
    let href: string | undefined;
    try {
      const url = new URL(raw);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) href = url.href;
    } catch {
      href = undefined;
    }
    if (!href) continue;
    const start = match.index ?? 0;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
