/**
 * TURN credentials in the scheme coturn's `use-auth-secret` understands (the "TURN REST API"):
 * username `<expiry unix seconds>:<participant id>`, password base64(HMAC-SHA1(secret, username)).
 * coturn, configured with the same `static-auth-secret`, accepts them until the expiry; the page
 * never sees the secret, and a leaked credential dies within the TTL.
 */
import { createHmac } from 'node:crypto';
import { isTurnUrl, parseIceServerUrls } from '../../shared/ice-servers';
import type { IceServer } from '../../shared/media-schema';

export function turnCredential(
  secret: string,
  participantId: string,
  ttlSeconds: number,
  nowMs: number,
): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${participantId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/**
 * The ICE servers a participant gets: STUN URLs as they are, TURN URLs with a fresh credential.
 * Without a TURN secret on this server, TURN URLs are left out (they could not be used anyway).
 */
export function iceServersFor(
  configured: string,
  turnSecret: string | undefined,
  participantId: string,
  ttlSeconds: number,
  nowMs: number,
): IceServer[] {
  const urls = parseIceServerUrls(configured);
  const stun = urls.filter((url) => !isTurnUrl(url));
  const turn = urls.filter(isTurnUrl);
  const servers: IceServer[] = [];
  if (stun.length) servers.push({ urls: stun });
  if (turn.length && turnSecret)
    servers.push({ urls: turn, ...turnCredential(turnSecret, participantId, ttlSeconds, nowMs) });
  return servers;
}
