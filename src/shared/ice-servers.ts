/**
 * The IceServers pool parameter: STUN/TURN URLs separated by commas or spaces (valibot-free, so the
 * launcher's config reader can check it without growing the entry).
 */
const ICE_URL = /^(?:stuns?|turns?):[A-Za-z0-9.[\]:-]+(?::\d{1,5})?(?:\?transport=(?:udp|tcp))?$/;

export function parseIceServerUrls(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

export function isIceServerList(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= 2048 && parseIceServerUrls(value).every((url) => ICE_URL.test(url))
  );
}

/** TURN URLs need credentials (made per participant); STUN URLs do not. */
export const isTurnUrl = (url: string) => /^turns?:/.test(url);
