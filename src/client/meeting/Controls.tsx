import { useState } from 'preact/hooks';
import { t } from '../i18n/t';
import { useStore } from '../store';
import { mediaStore, setCamera } from './media-store';
import { endForEveryone, leave, type SessionState, setLocked, toggleMute } from './session-store';

/**
 * Mute, camera, leave, and for the organizer: lock the meeting (a toggle: new guests wait in the
 * lobby) and end it for everyone (after a confirmation).
 * Leave is an outline; End, which ends it for everyone, is solid: they must not look alike.
 */
export function Controls({ session }: { session: SessionState }) {
  const [confirming, setConfirming] = useState(false);
  const media = useStore(mediaStore);
  const cameraAllowed = media.call?.mode === 'video';
  return (
    <div class="controls">
      <button type="button" data-testid="mute" aria-pressed={session.muted} onClick={() => void toggleMute()}>
        {t('mute')}
      </button>
      {media.call && media.call.mode !== 'none' && (
        <button
          type="button"
          data-testid="camera"
          aria-pressed={media.cameraOn}
          disabled={!cameraAllowed}
          onClick={() => void setCamera(!media.cameraOn)}
        >
          {t('cameraLabel')}
        </button>
      )}
      <button type="button" class="danger" data-testid="leave" onClick={() => void leave()}>
        {t('leave')}
      </button>
      {session.role === 'organizer' && (
        <button
          type="button"
          data-testid="meeting-lock"
          aria-pressed={session.locked}
          aria-describedby={session.locked ? 'meeting-locked-note' : undefined}
          onClick={() => void setLocked(!session.locked)}
        >
          {t('lockMeeting')}
        </button>
      )}
      {session.role === 'organizer' && !confirming && (
        <button type="button" class="danger solid" data-testid="end-meeting" onClick={() => setConfirming(true)}>
          {t('endForEveryone')}
        </button>
      )}
      {confirming && (
        <fieldset class="confirm">
          <legend>{t('endConfirmText')}</legend>
          <button
            type="button"
            class="danger solid"
            data-testid="end-meeting-confirm"
            onClick={() => void endForEveryone()}
            // biome-ignore lint/a11y/noAutofocus: the confirmation replaces the button that had focus
            autoFocus
          >
            {t('endConfirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </fieldset>
      )}
      {session.role === 'organizer' && (
        <p id="meeting-locked-note" class="muted" role="status" data-testid="meeting-locked-note">
          {session.locked ? t('lockedNote') : ''}
        </p>
      )}
    </div>
  );
}
