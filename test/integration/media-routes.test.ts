/** The media half of the conference API: scoping, size and rate caps, mesh limits, TURN credentials. */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Live } from '../../src/server/conference/live';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { putDocument } from '../../src/server/store/config-store';
import { findMeeting } from '../../src/server/store/meetings';
import type { JoinResponse, StreamEvent } from '../../src/shared/api-schema';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import {
  MAX_SIGNAL_BYTES,
  MESH_MEDIA_LIMIT,
  MESH_VIDEO_LIMIT,
  type MediaSessionResponse,
  SIGNAL_BURST,
  SIGNALS_PER_SECOND,
  TURN_CREDENTIAL_TTL_SECONDS,
} from '../../src/shared/media-schema';
import { type ListeningApp, listeningApp } from '../support/live-app';
import { postgresEngine } from '../support/live-engines';
import { storeOf } from '../support/temp-store';

const TURN_SECRET = 'coturn-static-auth-secret-for-tests';
let dataDir: string;
let db: Db;
let app: ListeningApp;
let base: string;
let live: Live | undefined;

/** The live meetings behind the app: in memory (the app's own), or a PostgreSQL node. */
const pg = postgresEngine();
beforeAll(() => pg.setUp());
afterAll(() => pg.tearDown());

function withApp(engine: 'memory' | 'postgres') {
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
    db = openDatabase(dataDir);
    await seedDemoIfEmpty(storeOf(db).sql);
    live = engine === 'postgres' ? await pg.openNode({}, 'node-a') : undefined;
    app = await listeningApp({
      store: storeOf(db),
      secret: Buffer.alloc(32, 1),
      distDir: path.join(dataDir, 'dist'),
      turnSecret: TURN_SECRET,
      rateLimitPerMinute: 100_000,
      live,
    });
    base = app.base;
  });

  afterEach(async () => {
    await app.close();
    await pg.reset();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

async function join(meeting: string, displayName: string, organizer = false): Promise<JoinResponse> {
  const [organizerName, conferenceId] = meeting.split('/') as [string, string];
  const organizerKey = organizer
    ? (await findMeeting(storeOf(db).sql, { organizer: organizerName, conferenceId }))?.organizerKey
    : undefined;
  const response = await fetch(`${base}/meetings/${meeting}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(organizerKey ? { displayName, organizerKey } : { displayName }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as JoinResponse;
}

const post = (who: JoinResponse, rest: string, body: unknown) =>
  fetch(`${base}/participants/${who.participantId}${rest}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function startMedia(who: JoinResponse, video = true): Promise<MediaSessionResponse> {
  const response = await post(who, '/media', { video });
  expect(response.status).toBe(200);
  return (await response.json()) as MediaSessionResponse;
}

const offer = (to: JoinResponse | string, sdp = 'v=0\r\n') => ({
  to: typeof to === 'string' ? to : to.participantId,
  signal: { kind: 'offer', sdp },
});

/**
 * Listens on a participant's stream: `open` resolves once the server has sent the snapshot (the
 * stream is registered), `signals` with the first signals seen, or none after `ms`.
 */
function listen(who: JoinResponse, ms = 2000): { open: Promise<void>; signals: Promise<StreamEvent[]> } {
  let opened: () => void = () => {};
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const signals = (async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    const seen: StreamEvent[] = [];
    try {
      const response = await fetch(`${base}/participants/${who.participantId}/events?token=${who.token}`, {
        signal: controller.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let buffer = '';
      while (seen.length === 0) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('data: ')) continue;
          const event = JSON.parse(line.slice(6)) as StreamEvent;
          if (event.type === 'snapshot') opened();
          if (event.type === 'signal') seen.push(event);
        }
      }
    } catch {
      // aborted: nothing arrived in time
    } finally {
      opened();
      clearTimeout(timer);
      controller.abort();
    }
    return seen;
  })();
  return { open, signals };
}

describe.each(['memory', 'postgres'] as const)('live in %s', (engine) => {
  withApp(engine);

  describe('media signalling', () => {
    it('relays a signal to a participant of the same meeting, tagged with the sender', async () => {
      const ann = await join('alice/7Q3DSSYV', 'Ann');
      const ben = await join('alice/7Q3DSSYV', 'Ben');
      expect((await startMedia(ann)).peers).toEqual([]);
      expect(await startMedia(ben)).toMatchObject({ mode: 'video', peers: [ann.participantId] });
      const annStream = listen(ann);
      await annStream.open;
      expect((await post(ben, '/signal', offer(ann, 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'))).status).toBe(204);
      expect(await annStream.signals).toEqual([
        {
          type: 'signal',
          from: ben.participantId,
          signal: { kind: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
        },
      ]);
    });

    it('never reaches the lobby or another meeting, and the lobby cannot start media', async () => {
      const organizer = await join('kenmyer/071200', 'Ken', true);
      const waiting = await join('kenmyer/071200', 'Waiting guest');
      expect(waiting.state).toBe('lobby');
      const elsewhere = await join('alice/7Q3DSSYV', 'Elsewhere');
      await startMedia(organizer);
      await startMedia(elsewhere);
      const lobbyStart = await post(waiting, '/media', { video: true });
      expect(lobbyStart.status).toBe(403);
      expect(await lobbyStart.json()).toMatchObject({ code: 'not-in-meeting' });
      const elsewhereStream = listen(elsewhere, 1000);
      await elsewhereStream.open;
      for (const target of [waiting, elsewhere]) {
        const response = await post(organizer, '/signal', offer(target));
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ code: 'peer-not-found', message: 'No such person in this call.' });
      }
      const fromLobby = await post(waiting, '/signal', offer(organizer));
      expect(fromLobby.status).toBe(403);
      // Nothing reached the other meeting's participant.
      expect(await elsewhereStream.signals).toEqual([]);
    });

    it('needs the token, and a media session before signalling', async () => {
      const ann = await join('alice/7Q3DSSYV', 'Ann');
      const ben = await join('alice/7Q3DSSYV', 'Ben');
      await startMedia(ann);
      const noToken = await fetch(`${base}/participants/${ben.participantId}/signal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(offer(ann)),
      });
      expect(noToken.status).toBe(401);
      const noSession = await post(ben, '/signal', offer(ann));
      expect(noSession.status).toBe(403);
      expect(await noSession.json()).toMatchObject({ code: 'not-in-call' });
    });

    it('refuses unknown message types, extra fields and oversized bodies with a JSON error', async () => {
      const ann = await join('alice/7Q3DSSYV', 'Ann');
      const ben = await join('alice/7Q3DSSYV', 'Ben');
      await startMedia(ann);
      await startMedia(ben);
      const unknown = await post(ben, '/signal', { to: ann.participantId, signal: { kind: 'html', body: '<b>x</b>' } });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ code: 'bad-request' });
      const extra = await post(ben, '/signal', { ...offer(ann), note: 'x' });
      expect(extra.status).toBe(400);
      const big = await post(ben, '/signal', offer(ann, 'a'.repeat(MAX_SIGNAL_BYTES)));
      expect(big.status).toBe(413);
      expect(big.headers.get('content-type')).toContain('application/json');
      expect(await big.json()).toMatchObject({ code: 'body-too-large' });
      const notJson = await post(ben, '/signal', '{"to":');
      expect(notJson.status).toBe(400);
    });

    it('caps each sender: past the burst, signals are refused with 429 while another sender still gets through', async () => {
      const ann = await join('alice/7Q3DSSYV', 'Ann');
      const ben = await join('alice/7Q3DSSYV', 'Ben');
      const cat = await join('alice/7Q3DSSYV', 'Cat');
      await Promise.all([startMedia(ann), startMedia(ben), startMedia(cat)]);
      const candidate = {
        to: ann.participantId,
        signal: {
          kind: 'candidate',
          candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host',
          sdpMid: '0',
          sdpMLineIndex: 0,
        },
      };
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 2 * SIGNAL_BURST }, () => post(ben, '/signal', candidate)),
      );
      const seconds = (Date.now() - started) / 1000;
      const accepted = answers.filter((r) => r.status === 204).length;
      const refused = answers.filter((r) => r.status === 429);
      // The burst, plus what the bucket refilled while the requests were being answered.
      expect(accepted).toBeGreaterThanOrEqual(SIGNAL_BURST);
      expect(accepted).toBeLessThanOrEqual(SIGNAL_BURST + Math.ceil(seconds * SIGNALS_PER_SECOND));
      expect(refused.length).toBeGreaterThan(0);
      expect(await refused[0]?.json()).toEqual({
        code: 'signal-rate-limited',
        message: 'Too many signalling messages.',
      });
      // Another sender has its own bucket.
      expect((await post(cat, '/signal', candidate)).status).toBe(204);
    });
  });

  describe('the mesh', () => {
    it(`gives video to ${MESH_VIDEO_LIMIT} people, audio up to ${MESH_MEDIA_LIMIT}, then chat only`, async () => {
      const modes: string[] = [];
      for (let i = 0; i < MESH_MEDIA_LIMIT + 1; i++) {
        modes.push((await startMedia(await join('alice/7Q3DSSYV', `Person ${i}`))).mode);
      }
      expect(modes).toEqual([
        ...Array(MESH_VIDEO_LIMIT).fill('video'),
        ...Array(MESH_MEDIA_LIMIT - MESH_VIDEO_LIMIT).fill('audio'),
        'none',
      ]);
    });

    it('frees a place when someone leaves', async () => {
      const people = [];
      for (let i = 0; i < MESH_MEDIA_LIMIT; i++) people.push(await join('alice/7Q3DSSYV', `Person ${i}`));
      for (const person of people) await startMedia(person);
      const first = people[0] as JoinResponse;
      await fetch(`${base}/participants/${first.participantId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${first.token}` },
      });
      const late = await startMedia(await join('alice/7Q3DSSYV', 'Late'));
      expect(late.mode).toBe('video');
      expect(late.peers).not.toContain(first.participantId);
      expect(late.peers).toHaveLength(MESH_MEDIA_LIMIT - 1);
    });
  });

  describe('ICE servers', () => {
    it('hands out STUN as configured and TURN with an expiring coturn credential, never the secret', async () => {
      await putDocument(
        storeOf(db).sql,
        { kind: 'global' },
        { ...PRODUCT_DEFAULTS, IceServers: 'stun:stun.contoso.test:3478, turn:turn.contoso.test:3478?transport=udp' },
      );
      const ann = await join('alice/7Q3DSSYV', 'Ann');
      const before = Math.floor(Date.now() / 1000);
      const session = await startMedia(ann);
      expect(session.iceServers[0]).toEqual({ urls: ['stun:stun.contoso.test:3478'] });
      const turn = session.iceServers[1] as { urls: string[]; username: string; credential: string };
      expect(turn.urls).toEqual(['turn:turn.contoso.test:3478?transport=udp']);
      const [expiry, user] = turn.username.split(':');
      expect(user).toBe(ann.participantId);
      expect(Number(expiry)).toBeGreaterThanOrEqual(before + TURN_CREDENTIAL_TTL_SECONDS);
      expect(Number(expiry)).toBeLessThanOrEqual(before + TURN_CREDENTIAL_TTL_SECONDS + 5);
      expect(turn.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn.username).digest('base64'));
      expect(JSON.stringify(session)).not.toContain(TURN_SECRET);
      // Each participant gets their own.
      const ben = await join('alice/7Q3DSSYV', 'Ben');
      const other = (await startMedia(ben)).iceServers[1] as { username: string };
      expect(other.username).toContain(ben.participantId);
    });

    it('leaves TURN out when the server has no secret', async () => {
      await app.close();
      app = await listeningApp({
        store: storeOf(db),
        secret: Buffer.alloc(32, 1),
        distDir: path.join(dataDir, 'dist'),
        live,
      });
      base = app.base;
      await putDocument(
        storeOf(db).sql,
        { kind: 'global' },
        { ...PRODUCT_DEFAULTS, IceServers: 'stun:a.test,turn:b.test' },
      );
      const session = await startMedia(await join('alice/7Q3DSSYV', 'Ann'));
      expect(session.iceServers).toEqual([{ urls: ['stun:a.test'] }]);
    });
  });
});
