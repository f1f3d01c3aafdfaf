/**
 * PostgreSQL schema: the live tables (live/live-store.ts explains how they are used).
 * Append new migrations; never edit one that has shipped.
 *
 * Times are milliseconds since the epoch from the nodes' clocks (BIGINT), like the rest of the
 * store: deadlines compare across nodes, so the nodes keep their clocks in sync (NTP), and a
 * skew of a second moves a 60 s grace by a second. Tables here reference each other only; a
 * meeting key is the store's `meetings.key`, without a foreign key (a meeting removed by the admin
 * is ended by the removed-meetings sweep, not by a cascade).
 */
import type { Migration } from '../pg-migrations';

export const LIVE_MIGRATIONS: Migration[] = [
  {
    name: 'live-1',
    sql: `
-- A meeting with someone in it or in its lobby. Its row is also the lock that every change to
-- the meeting takes first (SELECT ... FOR UPDATE): seats and the lobby are counted, event ids
-- allocated and streams counted under it, so no two nodes interleave and no deadlock can form.
CREATE TABLE live_meetings (
  meeting_key TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL,
  started_at BIGINT NOT NULL
);

CREATE TABLE live_participants (
  id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  meeting_key TEXT NOT NULL,
  -- Join order: the roster's order.
  seq BIGSERIAL NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('guest', 'organizer')),
  state TEXT NOT NULL CHECK (state IN ('lobby', 'in-meeting', 'gone')),
  muted BOOLEAN NOT NULL DEFAULT false,
  joined_at BIGINT NOT NULL,
  -- The id the next logged event of this participant gets (allocated under the meeting lock).
  next_event_id BIGINT NOT NULL DEFAULT 1,
  -- No open stream anywhere since then + grace: removed. NULL while a stream is open.
  grace_deadline BIGINT,
  -- Waiting in the lobby until then.
  lobby_deadline BIGINT,
  -- Gone: the row (and its log) is kept until then for a late stream.
  purge_at BIGINT,
  -- The media session's mode (video, audio, none); NULL before one starts.
  media_mode TEXT
);
CREATE INDEX live_participants_meeting ON live_participants (meeting_key, seq) WHERE state <> 'gone';
CREATE INDEX live_participants_grace ON live_participants (grace_deadline) WHERE state <> 'gone';
CREATE INDEX live_participants_lobby ON live_participants (lobby_deadline) WHERE state = 'lobby';
CREATE INDEX live_participants_purge ON live_participants (purge_at) WHERE state = 'gone';

-- Each participant's numbered events (chat, admitted, end): what a resumed stream replays.
CREATE TABLE live_events (
  participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
  event_id BIGINT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (participant_id, event_id)
);

-- Chat messages remembered per sender, so a retried send is stored once.
CREATE TABLE live_chat_sends (
  participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
  client_message_id TEXT NOT NULL,
  seq BIGSERIAL NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (participant_id, client_message_id)
);

-- Every node that serves event streams, and when it last said it was alive.
CREATE TABLE live_nodes (
  name TEXT PRIMARY KEY,
  heartbeat_at BIGINT NOT NULL,
  started_at BIGINT NOT NULL
);

-- Open event streams, by the node holding them: counted against maxStreamsPerParticipant across
-- nodes, and a participant with none (on a live node) starts the grace.
CREATE TABLE live_streams (
  id TEXT PRIMARY KEY,
  participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
  node TEXT NOT NULL,
  seq BIGSERIAL NOT NULL
);
CREATE INDEX live_streams_participant ON live_streams (participant_id, seq);
CREATE INDEX live_streams_node ON live_streams (node);

-- Media signalling on its way to a participant whose stream may be on another node: read once by
-- the node holding the stream, deleted a short while later (never replayed).
CREATE TABLE live_signals (
  id BIGSERIAL PRIMARY KEY,
  participant_id TEXT NOT NULL,
  event TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX live_signals_created ON live_signals (created_at);
`,
  },
  {
    name: 'live-2-meeting-owners',
    sql: `
-- The organizer locks a meeting: new guests wait in the lobby.
ALTER TABLE live_meetings ADD COLUMN locked BOOLEAN NOT NULL DEFAULT false;
-- Where a participant joined from (the client address; the random id their page keeps), counted
-- against an address's share of the seats and the lobby, and remembered if they are removed; and
-- why a gone participant's session ended (a late status call says "removed", not "disconnected").
ALTER TABLE live_participants ADD COLUMN address TEXT, ADD COLUMN device TEXT, ADD COLUMN end_reason TEXT;
CREATE INDEX live_participants_address ON live_participants (meeting_key, address) WHERE state <> 'gone';
-- Who the organizer removed: they come back only through the lobby while the meeting lives.
CREATE TABLE live_removed (
  meeting_key TEXT NOT NULL REFERENCES live_meetings (meeting_key) ON DELETE CASCADE,
  seq BIGSERIAL NOT NULL,
  address TEXT,
  device TEXT,
  token_hash TEXT NOT NULL,
  PRIMARY KEY (meeting_key, seq)
);
`,
  },
];
