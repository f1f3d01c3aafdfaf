/**
 * The organizer's secret from the link's fragment (`#organizerKey=...`). A fragment never reaches
 * the server in the page request, nor any Referer; it is sent only in the organizer's own join.
 */
export function organizerKeyFrom(hash: string): string | undefined {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get('organizerKey');
  return key && /^[\w-]{8,256}$/.test(key) ? key : undefined;
}
