import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/t';
import { remove } from './session-store';

/**
 * The organizer's Remove for one person: removing is asked again before it happens (a slip of
 * the mouse must not throw someone out). The question takes the button's place with focus on
 * "Yes, remove"; Cancel or Escape puts the Remove button back, with focus on it.
 */
export function RemoveButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  // Focus follows the swap both ways (the autofocus attribute works once per document only).
  useEffect(() => {
    if (confirming) yes.current?.focus();
    else if (cancelled) button.current?.focus();
  }, [cancelled, confirming]);
  const cancel = () => {
    setConfirming(false);
    setCancelled(true);
  };
  if (!confirming) {
    return (
      <span class="row">
        <button
          ref={button}
          type="button"
          class="small"
          data-testid="roster-remove"
          aria-label={t('removeName', { name })}
          onClick={() => setConfirming(true)}
        >
          {t('removeParticipant')}
        </button>
      </span>
    );
  }
  return (
    <fieldset
      class="confirm"
      data-testid="roster-remove-confirmation"
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <legend>
        <bdi>{t('removeConfirmText', { name })}</bdi>
      </legend>
      <button
        ref={yes}
        type="button"
        class="danger solid small"
        data-testid="roster-remove-confirm"
        onClick={() => void remove(id)}
      >
        {t('removeConfirm')}
      </button>
      <button type="button" class="small" data-testid="roster-remove-cancel" onClick={cancel}>
        {t('cancel')}
      </button>
    </fieldset>
  );
}
