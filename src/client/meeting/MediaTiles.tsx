import type { RosterEntry } from '../../shared/api-schema';
import { t } from '../i18n/t';
import type { TileView } from '../media/types';
import { useStore } from '../store';
import { initialsOf } from './initials';
import { mediaStore } from './media-store';
import { VideoView } from './VideoView';

function Tile({
  tile,
  person,
  self,
  speaker,
}: {
  tile: TileView;
  person?: RosterEntry;
  self: boolean;
  speaker?: string;
}) {
  const name = person?.displayName ?? '';
  const label = self ? `${name} ${t('youTag')}` : name;
  return (
    <li
      class={`tile${tile.speaking && tile.mic ? ' speaking' : ''}`}
      data-testid="media-tile"
      data-participant-id={tile.participantId}
      data-camera={tile.camera ? 'on' : 'off'}
      data-speaking={tile.speaking && tile.mic ? 'true' : 'false'}
      data-reconnecting={tile.reconnecting ? 'true' : 'false'}
    >
      <VideoView stream={tile.stream} self={self} hidden={!tile.camera} speaker={speaker} label={label} />
      {!tile.camera && (
        <span class="initials" aria-hidden="true">
          {initialsOf(name)}
        </span>
      )}
      <span class="tile-name">
        {label}
        {!tile.mic && <span class="tag"> · {t('mutedTag')}</span>}
        {tile.speaking && tile.mic && <span class="tag"> · {t('speakingTag')}</span>}
        {tile.reconnecting && <span class="tag"> · {t('reconnectingShort')}</span>}
      </span>
    </li>
  );
}

/** A tile per person in the call: video or initials, name, speaking; and why media is limited. */
export function MediaTiles({ roster, selfId }: { roster: RosterEntry[]; selfId?: string }) {
  const { call, choice, problem } = useStore(mediaStore);
  if (!call) return null;
  const byId = new Map(roster.map((entry) => [entry.id, entry]));
  return (
    <section class="stage" aria-label={t('stageLabel')}>
      {call.mode !== 'video' && (
        <p
          class="notice"
          role="status"
          data-testid="media-notice"
          data-reason={`${call.mode === 'audio' ? 'audio' : 'chat'}-only`}
        >
          {t(call.mode === 'audio' ? 'media.audio-only' : 'media.chat-only')}
        </p>
      )}
      {problem && call.mode === 'video' && (
        <p class="notice" role="status">
          {t('media.joined-without-devices')}
        </p>
      )}
      <ul class={`tiles n${Math.min(call.tiles.length, 4)}`}>
        {call.tiles
          .filter((tile) => byId.has(tile.participantId))
          .map((tile) => (
            <Tile
              key={tile.participantId}
              tile={tile}
              person={byId.get(tile.participantId)}
              self={tile.participantId === selfId}
              speaker={choice.speaker}
            />
          ))}
      </ul>
    </section>
  );
}
