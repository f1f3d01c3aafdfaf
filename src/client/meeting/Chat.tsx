import { useEffect, useRef } from 'preact/hooks';
import { formatTime } from '../i18n/format';
import { t } from '../i18n/t';
import { useStore } from '../store';
import { ChatComposer } from './ChatComposer';
import { chatStore } from './chat-store';
import { linkify } from './linkify';
import type { SessionState } from './session-store';

/** A message's text with its web links made real links (text nodes and <a>, never HTML). */
function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.href ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

/** The chat log. Text is rendered as text, never as HTML. */
export function Chat({ session }: { session: SessionState }) {
  const { messages } = useStore(chatStore);
  const logRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages.length]);
  return (
    <section class="chat" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('chatTitle')}</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll area keyboard users must reach to scroll back */}
      <div class="chat-log" role="log" aria-labelledby="chat-title" ref={logRef} tabIndex={0}>
        {messages.length === 0 ? (
          <p class="muted">{t('chatNone')}</p>
        ) : (
          <ul>
            {messages.map((message) => (
              <li
                key={message.id}
                data-testid="chat-message"
                class={message.fromId === session.who?.participantId ? 'mine' : ''}
              >
                <span class="who">{message.fromName}</span>{' '}
                <time class="muted" dateTime={new Date(message.sentAt).toISOString()}>
                  {formatTime(message.sentAt)}
                </time>
                <p class="text" data-testid="chat-text">
                  <MessageText text={message.text} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      <ChatComposer session={session} />
    </section>
  );
}
