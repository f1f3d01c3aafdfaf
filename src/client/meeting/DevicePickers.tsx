import type { MessageKey } from '../i18n/en-US';
import { t } from '../i18n/t';
import type { DeviceOption } from '../media/types';
import { chooseDevice, type MediaState } from './media-store';

function Picker({
  kind,
  label,
  options,
  chosen,
}: {
  kind: 'microphone' | 'camera' | 'speaker';
  label: MessageKey;
  options: DeviceOption[];
  chosen?: string;
}) {
  if (options.length === 0) return null;
  const id = `pick-${kind}`;
  return (
    <div class="picker">
      <label for={id}>{t(label)}</label>
      <select id={id} value={chosen ?? options[0]?.id} onChange={(e) => void chooseDevice(kind, e.currentTarget.value)}>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Which microphone, camera and speaker (where the browser can choose); remembered on this device. */
export function DevicePickers({ media }: { media: MediaState }) {
  const { devices, choice } = media;
  return (
    <details class="pickers">
      <summary>{t('chooseDevices')}</summary>
      <Picker kind="microphone" label="micLabel" options={devices.microphones} chosen={choice.microphone} />
      <Picker kind="camera" label="cameraLabel" options={devices.cameras} chosen={choice.camera} />
      <Picker kind="speaker" label="speakerLabel" options={devices.speakers} chosen={choice.speaker} />
    </details>
  );
}
