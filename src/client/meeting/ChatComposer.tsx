import { useState } from 'preact/hooks';
import { MAX_CHAT_MESSAGE_LENGTH } from '../../shared/constants';
import { problemKey, t } from '../i18n/t';
import { useStore } from '../store';
import { chatStore, clearChatProblem, sendDraft } from './chat-store';
import { conversation, type SessionState } from './session-store';

export function ChatComposer({ session }: { session: SessionState }) {
  const [draft, setDraft] = useState('');
  const { sending, problem } = useStore(chatStore);
  const length = [...draft.trim()].length;
  const tooLong = length > MAX_CHAT_MESSAGE_LENGTH;
  const send = async () => {
    if (!session.who) return;
    if (await sendDraft(session.who, draft, conversation())) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  };
  return (
    <form
      class="composer"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label for="chat-input">{t('chatLabel')}</label>
      <textarea
        id="chat-input"
        data-testid="chat-input"
        rows={2}
        value={draft}
        onInput={(e) => {
          setDraft(e.currentTarget.value);
          clearChatProblem();
        }}
        onKeyDown={onKeyDown}
        aria-describedby="chat-hint chat-count chat-problem"
        aria-invalid={problem || tooLong ? 'true' : undefined}
      />
      <p id="chat-hint" class="muted small-text">
        {t('chatHint')}{' '}
        <span id="chat-count" class={tooLong ? 'over' : ''}>
          {t('chatCount', { count: String(length), max: String(MAX_CHAT_MESSAGE_LENGTH) })}
        </span>
      </p>
      <p id="chat-problem" class="problem" role="alert" data-testid="chat-problem">
        {problem ? t(problemKey('chat', problem)) : ''}
      </p>
      <button type="submit" class="primary" data-testid="chat-send" disabled={sending} aria-busy={sending}>
        {t('chatSend')}
      </button>
    </form>
  );
}
