import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ConfigStore } from '../config/state';
import type { NoticeCatalog } from '../i18n/notice/notice-en-US';
import { useStore } from '../store';
import { COLLECTED_CATEGORIES_AT_BUILD } from './collected';
import { type NoticeSection, noticeSections } from './notice-model';

/**
 * The notice: what this page sends under the pool's config as the page has it now. Anything but a
 * config that said exactly `true` is off (fail closed, as telemetry itself). It has no control:
 * the pool's admin decides, and the only button closes it.
 */
export function PrivacyNotice({
  words,
  configStore,
  onClose,
}: {
  words: NoticeCatalog;
  configStore: ConfigStore;
  onClose: () => void;
}) {
  const on = useStore(configStore).telemetry === 'on';
  const dialog = useRef<HTMLDialogElement>(null);
  // Modal: the page behind is inert, Escape closes it, and focus stays inside while it is open.
  useLayoutEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog
      ref={dialog}
      class="privacy-notice"
      data-testid="privacy-notice"
      data-telemetry={on ? 'on' : 'off'}
      aria-labelledby="privacy-title"
      onClose={onClose}
    >
      <header>
        <h2 id="privacy-title">{words.title}</h2>
        <button type="button" data-testid="privacy-close" onClick={() => dialog.current?.close()}>
          {words.close}
        </button>
      </header>
      <p>{on ? words.on : words.off}</p>
      {on &&
        noticeSections(COLLECTED_CATEGORIES_AT_BUILD, words).map((section) => (
          <Category key={section.category} section={section} />
        ))}
      {on && <p>{words.never}</p>}
      <p class="muted">{words.decidedBy}</p>
    </dialog>
  );
}

function Category({ section }: { section: NoticeSection }) {
  const headingId = `privacy-${section.category}`;
  return (
    <section
      data-testid="privacy-category"
      data-category={section.category}
      data-event-types={section.eventTypes.join(' ')}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>{section.title}</h3>
      <p class="muted">{section.note}</p>
      <ul>
        {section.fields.map((field) => (
          <li key={field.name} data-field={field.name}>
            <span class="label">{field.label}</span> <code dir="ltr">{field.name}</code>
            <span class="treatment">{field.treatment}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
