/**
 * The census UserID: SHA-256 of the product namespace and the UserID, in hex, so the clear id
 * never leaves the page in the census. Where `crypto.subtle` is missing (pages served over plain
 * http from a non-localhost host) the field is omitted, never sent raw.
 */
export const USER_ID_NAMESPACE = 'meet-launcher/user-id/v1:';

export async function hashUserId(userId: string): Promise<string | undefined> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return undefined;
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(USER_ID_NAMESPACE + userId));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}
