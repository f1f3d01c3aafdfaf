/** The message for a problem code, or the family's generic message when there is no specific one. */
import { type MessageKey, messages } from '../i18n/en-US';

export function problemKey(prefix: 'join' | 'chat' | 'action', code: string): MessageKey {
  const key = `${prefix}.${code}`;
  return (key in messages ? key : `${prefix}.failed`) as MessageKey;
}
