/**
 * Chat on a plain-http host other than localhost (an insecure context): crypto.randomUUID does not
 * exist there, and every send used to throw before reaching the server.
 */

import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatRequest } from '../../src/shared/api-schema';

const mocks = vi.hoisted(() => ({
  sendChat: vi.fn(async (_who: unknown, text: string, clientMessageId: string) => ({
    ok: true as const,
    value: { id: 'm1', clientMessageId, fromId: 'p1', fromName: 'Ann', text, sentAt: 0 },
  })),
}));
vi.mock('../../src/client/meeting/participant-api', () => ({ sendChat: mocks.sendChat }));
vi.mock('../../src/client/track', () => ({ track: { usage: vi.fn(), error: vi.fn() } }));

beforeEach(() => {
  // What an insecure context offers: getRandomValues, but no randomUUID.
  const { getRandomValues } = globalThis.crypto;
  vi.stubGlobal('crypto', { getRandomValues: getRandomValues.bind(globalThis.crypto) });
});

afterEach(() => vi.unstubAllGlobals());

describe('sending a chat message without crypto.randomUUID', () => {
  it('reaches the server with a valid client message id and shows the message', async () => {
    expect((globalThis.crypto as Partial<Crypto>).randomUUID).toBeUndefined();
    const { sendDraft, chatStore } = await import('../../src/client/meeting/chat-store');
    const sent = await sendDraft({ participantId: 'p1', token: 't' }, 'hello', { conversationState: 'in-meeting' });
    expect(sent).toBe(true);
    const id = mocks.sendChat.mock.calls[0]?.[2] ?? '';
    expect(v.is(chatRequest, { text: 'hello', clientMessageId: id })).toBe(true);
    expect(chatStore.get().messages.map((m) => m.text)).toEqual(['hello']);
  });
});
