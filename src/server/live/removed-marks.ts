/**
 * What a meeting remembers of a person the organizer removed, so that they come back only through
 * the lobby: their client address, the device id their client sent (a native client may keep one;
 * the web page keeps no identifier), and a hash of their token (a removed page's Rejoin presents
 * it). Any one of them matching is enough. Limits: a new network (another address) with a new tab
 * (no former token) walks in as a stranger would; the organizer can lock the meeting.
 */
import { createHash } from 'node:crypto';
import type { JoinOrigin } from './live-model';

export interface RemovedMark {
  address?: string;
  device?: string;
  /** sha256 of the token, hex: the meeting never keeps a usable token of someone gone. */
  tokenHash?: string;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function removedMark(origin: JoinOrigin, token: string): RemovedMark {
  return { address: origin.address, device: origin.device, tokenHash: tokenHash(token) };
}

/** Whether a join from `origin` matches anyone removed from the meeting. */
export function isRemoved(marks: readonly RemovedMark[], origin: JoinOrigin): boolean {
  const former = origin.formerToken === undefined ? undefined : tokenHash(origin.formerToken);
  return marks.some(
    (m) =>
      (m.address !== undefined && m.address === origin.address) ||
      (m.device !== undefined && m.device === origin.device) ||
      (former !== undefined && m.tokenHash === former),
  );
}
