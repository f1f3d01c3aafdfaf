/**
 * What a meeting remembers of a person the organizer removed, so that they come back only through
 * the lobby: their client address, the random id their page keeps on the device, and a hash of
 * their token (a removed page's Rejoin presents it). Any one of them matching is enough: a guest
 * can change one easily (another network, a private window), all three less so.
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
