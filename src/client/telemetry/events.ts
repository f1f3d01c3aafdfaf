/** What the app hands to telemetry. Never display names, chat text or URLs. */
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
  federationPartner: string;
}
