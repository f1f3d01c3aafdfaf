import { useEffect } from 'preact/hooks';
import { problemKey, t } from '../i18n/t';
import { useStore } from '../store';
import { DevicePickers } from './DevicePickers';
import { levelStore, mediaStore, openDeviceCheck, retryDevices, setCamera, setMic } from './media-store';
import { VideoView } from './VideoView';

function MicLevel() {
  const { level } = useStore(levelStore);
  const { micOn } = useStore(mediaStore);
  return (
    <meter
      class="mic-level"
      data-testid="mic-level"
      min={0}
      max={1}
      value={micOn ? level : 0}
      aria-label={t('micLevelLabel')}
      data-level={micOn ? level.toFixed(2) : '0'}
    />
  );
}

/**
 * Before joining: the camera preview, the microphone meter and the on/off toggles. Everything here
 * has its size from the start, so nothing moves the Join button while the devices come up (what
 * appears later, problems and pickers, is in DeviceHelp below the form).
 */
export function DeviceCheck() {
  const media = useStore(mediaStore);
  useEffect(() => {
    void openDeviceCheck();
  }, []);
  const hasVideo = media.cameraOn && !!media.preview?.getVideoTracks().length;
  return (
    <section class="device-check" aria-labelledby="device-check-title">
      <h2 id="device-check-title">{t('deviceCheckTitle')}</h2>
      <div class="preview" data-testid="device-preview" data-camera={hasVideo ? 'on' : 'off'}>
        <VideoView stream={media.preview} self hidden={!hasVideo} label={t('previewLabel')} />
        {!hasVideo && <p class="preview-off">{media.ready ? t('cameraOffPreview') : t('deviceStarting')}</p>}
      </div>
      <MicLevel />
      <div class="row">
        <button
          type="button"
          data-testid="mic-toggle"
          aria-pressed={media.micOn}
          onClick={() => void setMic(!media.micOn)}
        >
          {t('micLabel')}
        </button>
        <button
          type="button"
          data-testid="camera-toggle"
          aria-pressed={media.cameraOn}
          onClick={() => void setCamera(!media.cameraOn)}
        >
          {t('cameraLabel')}
        </button>
      </div>
    </section>
  );
}

/** Below the form: what went wrong with the devices and how to fix it, and the device pickers. */
export function DeviceHelp() {
  const media = useStore(mediaStore);
  return (
    <div class="device-help">
      <p class="problem" role="status" data-testid="media-problem">
        {media.problem ? t(problemKey('media', media.problem)) : ''}
      </p>
      {media.problem && (
        <button type="button" class="small" onClick={() => void retryDevices()}>
          {t('retry')}
        </button>
      )}
      {/* Always there (closed), so the card does not grow, and move Join, when the devices are known. */}
      <DevicePickers media={media} />
    </div>
  );
}
