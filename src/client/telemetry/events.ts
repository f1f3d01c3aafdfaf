/** What the app hands to telemetry. Never display names, chat text or URLs. */
import type { EventBody } from '../../shared/telemetry-schema';

export type CallQuality = Omit<Extract<EventBody, { type: 'callQuality' }>, 'type'>;
export type DeviceConfig = Omit<Extract<EventBody, { type: 'deviceConfig' }>, 'type'>;

export interface ErrorReport {
  code: string;
  message: string;
  stack?: string;
  direction?: 'incoming' | 'outgoing' | 'none';
  conversationState?: string;
  threadId?: string;
  userId?: string;
}

export interface MeetingContext {
  /** The organizer's SIP domain. */
  federationPartner?: string;
  /** The meeting's conversation id, known once joined: partners are counted by meetings. */
  threadId?: string;
}
