/**
 * The meeting chat: messages in arrival order, each shown once however it arrives (the send's
 * answer or the event stream, first or again after a reconnect), and the composer's state.
 */
import { type ChatMessage, checkChatText } from '../../shared/api-schema';
import { randomUuid } from '../random-id';
import { createStore } from '../store';
import { track } from '../track';
import { type Credentials, sendChat } from './participant-api';

export interface ChatState {
  messages: ChatMessage[];
  sending: boolean;
  /** A `chat.*` message key suffix: why the last message was not sent. */
  problem?: string;
}

/** Older messages leave the page so a long meeting stays light. */
const MAX_SHOWN = 500;

export const chatStore = createStore<ChatState>({ messages: [], sending: false });
let seen = new Set<string>();

export function resetChat(): void {
  seen = new Set();
  chatStore.set({ messages: [], sending: false });
}

function add(message: ChatMessage): boolean {
  if (seen.has(message.id)) return false;
  seen.add(message.id);
  const messages = [...chatStore.get().messages, message];
  chatStore.update({ messages: messages.length > MAX_SHOWN ? messages.slice(-MAX_SHOWN) : messages });
  return true;
}

/** A message from the event stream; others' messages count as received IMs. */
export function receiveChat(message: ChatMessage, selfId: string | undefined): void {
  if (add(message) && message.fromId !== selfId) track.usage('imReceived');
}

export function clearChatProblem(): void {
  if (chatStore.get().problem) chatStore.update({ problem: undefined });
}

// Not crypto.randomUUID: it does not exist on plain-http hosts other than localhost.
const newClientMessageId = randomUuid;

/**
 * Sends the draft; resolves true when the server has it (the caller then clears the draft). The
 * client message id is kept for a retry of the same draft, so a send whose answer was lost is
 * stored once.
 */
let pendingId: { text: string; id: string } | undefined;

export async function sendDraft(
  who: Credentials,
  draft: string,
  context: { conversationState: string; threadId?: string },
): Promise<boolean> {
  const checked = checkChatText(draft);
  if (!checked.ok) {
    chatStore.update({ problem: checked.problem });
    return false;
  }
  if (chatStore.get().sending) return false;
  if (pendingId?.text !== checked.text) pendingId = { text: checked.text, id: newClientMessageId() };
  chatStore.update({ sending: true, problem: undefined });
  const result = await sendChat(who, checked.text, pendingId.id);
  chatStore.update({ sending: false });
  if (!result.ok) {
    chatStore.update({ problem: result.code });
    track.error({
      code: `chat:${result.code}`,
      message: `Chat send failed (${result.status})`,
      direction: 'outgoing',
      ...context,
    });
    return false;
  }
  pendingId = undefined;
  add(result.value);
  track.usage('imSent');
  return true;
}
