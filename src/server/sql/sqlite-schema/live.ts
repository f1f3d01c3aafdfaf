/**
 * SQLite schema: the live tables, the same as PostgreSQL's (../pg-schema/live.ts explains each;
 * live/live-store.ts how they are used), so that `npm start` keeps its meetings across a
 * restart. Sequences are INTEGER PRIMARY KEY AUTOINCREMENT (never reused), booleans 0/1. Each
 * constant is this part's share of one SQLite migration, named by its version.
 */

/** Version 9: issue 24: live meetings in the store. */
export const LIVE_9 = `CREATE TABLE live_meetings (
     meeting_key TEXT PRIMARY KEY,
     thread_id TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     locked INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE live_participants (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     token TEXT NOT NULL,
     meeting_key TEXT NOT NULL,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('guest', 'organizer')),
     state TEXT NOT NULL CHECK (state IN ('lobby', 'in-meeting', 'gone')),
     muted INTEGER NOT NULL DEFAULT 0,
     joined_at INTEGER NOT NULL,
     next_event_id INTEGER NOT NULL DEFAULT 1,
     grace_deadline INTEGER,
     lobby_deadline INTEGER,
     purge_at INTEGER,
     media_mode TEXT,
     address TEXT,
     device TEXT,
     end_reason TEXT
   );
   CREATE INDEX live_participants_meeting ON live_participants (meeting_key, seq) WHERE state <> 'gone';
   CREATE INDEX live_participants_grace ON live_participants (grace_deadline) WHERE state <> 'gone';
   CREATE INDEX live_participants_lobby ON live_participants (lobby_deadline) WHERE state = 'lobby';
   CREATE INDEX live_participants_purge ON live_participants (purge_at) WHERE state = 'gone';
   CREATE INDEX live_participants_address ON live_participants (meeting_key, address) WHERE state <> 'gone';
   CREATE TABLE live_events (
     participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
     event_id INTEGER NOT NULL,
     event TEXT NOT NULL,
     PRIMARY KEY (participant_id, event_id)
   ) WITHOUT ROWID;
   CREATE TABLE live_chat_sends (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
     client_message_id TEXT NOT NULL,
     message TEXT NOT NULL,
     UNIQUE (participant_id, client_message_id)
   );
   CREATE TABLE live_nodes (
     name TEXT PRIMARY KEY,
     heartbeat_at INTEGER NOT NULL,
     started_at INTEGER NOT NULL
   );
   CREATE TABLE live_streams (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     participant_id TEXT NOT NULL REFERENCES live_participants (id) ON DELETE CASCADE,
     node TEXT NOT NULL
   );
   CREATE INDEX live_streams_participant ON live_streams (participant_id, seq);
   CREATE INDEX live_streams_node ON live_streams (node);
   CREATE TABLE live_signals (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     participant_id TEXT NOT NULL,
     event TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX live_signals_created ON live_signals (created_at);
   CREATE TABLE live_removed (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     meeting_key TEXT NOT NULL REFERENCES live_meetings (meeting_key) ON DELETE CASCADE,
     address TEXT,
     device TEXT,
     token_hash TEXT NOT NULL
   );
   CREATE INDEX live_removed_meeting ON live_removed (meeting_key, seq);`;
