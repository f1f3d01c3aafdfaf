import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Live } from '../../src/server/conference/live';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { findMeeting } from '../../src/server/store/meetings';
import type { JoinResponse, StreamEvent } from '../../src/shared/api-schema';
import { type ListeningApp, listeningApp } from '../support/live-app';
import { postgresEngine } from '../support/live-engines';
import { storeOf } from '../support/temp-store';

let dataDir: string;
let db: Db;
let base: string;

/** The live meetings behind the app: in memory (the app's own), or a PostgreSQL node. */
const pg = postgresEngine();
beforeAll(() => pg.setUp());
afterAll(() => pg.tearDown());

type Started = ListeningApp;

const startApp = (live: Live | undefined) =>
  listeningApp({ store: storeOf(db), secret: Buffer.alloc(32, 1), distDir: path.join(dataDir, 'dist'), live });

let current: Started;

function withApp(engine: 'memory' | 'postgres') {
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
    db = openDatabase(dataDir);
    await seedDemoIfEmpty(storeOf(db).sql);
    current = await startApp(engine === 'postgres' ? await pg.openNode({}, 'node-a') : undefined);
    base = current.base;
  });

  afterEach(async () => {
    await current.close();
    await pg.reset();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

async function join(displayName: string, organizerKey?: string): Promise<JoinResponse> {
  const response = await fetch(`${base}/meetings/alice/7Q3DSSYV/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(organizerKey ? { displayName, organizerKey } : { displayName }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as JoinResponse;
}

function chat(who: JoinResponse, text: string, on = base) {
  return fetch(`${on}/participants/${who.participantId}/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: `client-${text.replace(/\W/g, '')}-0001` }),
  });
}

/** Opens the stream and reads events until `until` says enough. */
async function readStream(
  who: JoinResponse,
  until: (events: { id?: string; event: StreamEvent }[]) => boolean,
  headers: Record<string, string> = {},
  on = base,
) {
  const controller = new AbortController();
  const response = await fetch(`${on}/participants/${who.participantId}/events?token=${who.token}`, {
    headers,
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { id?: string; event: StreamEvent }[] = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (data) events.push({ id, event: JSON.parse(data) as StreamEvent });
      end = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  return events;
}

const chatTexts = (events: { event: StreamEvent }[]) =>
  events.flatMap((e) => (e.event.type === 'chat' ? [e.event.message.text] : []));

describe.each(['memory', 'postgres'] as const)('conference routes (live in %s)', (engine) => {
  withApp(engine);
  it('streams chat, and resumes after Last-Event-ID without loss or repeats', async () => {
    const alice = await join(
      'Alice',
      (await findMeeting(storeOf(db).sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))?.organizerKey,
    );
    expect(alice.role).toBe('organizer');
    const bob = await join('Bob');
    expect(bob).toMatchObject({ role: 'guest', state: 'in-meeting', threadId: alice.threadId });
    expect((await chat(alice, 'first')).status).toBe(201);
    const firstRead = await readStream(bob, (events) => chatTexts(events).length === 1);
    expect(firstRead[0]?.event).toMatchObject({ type: 'snapshot', state: 'in-meeting' });
    const lastId = firstRead.filter((e) => e.id).at(-1)?.id as string;
    await chat(alice, 'second');
    await chat(alice, 'third');
    const resumed = await readStream(bob, (events) => chatTexts(events).length === 2, { 'last-event-id': lastId });
    expect(chatTexts(resumed)).toEqual(['second', 'third']);
  });

  it('needs the token for stream, chat and leave; guests cannot admit or end', async () => {
    const bob = await join('Bob');
    const stream = await fetch(`${base}/participants/${bob.participantId}/events?token=nope`);
    expect(stream.status).toBe(401);
    const chatWithout = await fetch(`${base}/participants/${bob.participantId}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', clientMessageId: 'client-hi-0001' }),
    });
    expect(chatWithout.status).toBe(401);
    const leaveWithout = await fetch(`${base}/participants/${bob.participantId}`, { method: 'DELETE' });
    expect(leaveWithout.status).toBe(401);
    const end = await fetch(`${base}/participants/${bob.participantId}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(end.status).toBe(403);
    const still = await fetch(`${base}/participants/${bob.participantId}`, {
      headers: { authorization: `Bearer ${bob.token}` },
    });
    expect(await still.json()).toEqual({ state: 'in-meeting' });
    const leave = await fetch(`${base}/participants/${bob.participantId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${bob.token}` },
    });
    expect(leave.status).toBe(204);
    expect((await chat(bob, 'after leaving')).status).toBe(410);
    const status = (token: string) =>
      fetch(`${base}/participants/${bob.participantId}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await status(bob.token)).status).toBe(410);
    expect((await status('wrong')).status).toBe(401);
  });

  it('refuses a wrong organizer key and never tells guests the key', async () => {
    const refused = await fetch(`${base}/meetings/alice/7Q3DSSYV/participants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Mallory', organizerKey: 'guessing-the-key' }),
    });
    expect(refused.status).toBe(403);
    const key = (await findMeeting(storeOf(db).sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))
      ?.organizerKey as string;
    const lookup = await (await fetch(`${base}/meetings/alice/7Q3DSSYV`)).text();
    const guest = await join('Guest');
    const events = await readStream(guest, (e) => e.length >= 1);
    expect(`${lookup}${JSON.stringify(guest)}${JSON.stringify(events)}`).not.toContain(key);
  });

  it('closes with a stream still open', async () => {
    const bob = await join('Bob');
    const response = await fetch(`${base}/participants/${bob.participantId}/events?token=${bob.token}`);
    expect(response.status).toBe(200);
    await current.close(); // afterEach closes again: a no-op
    const rest = await response.text();
    expect(rest).toContain('snapshot');
  });
});

describe('conference routes on two nodes (live in PostgreSQL)', () => {
  withApp('postgres');

  it('streams from one node what was said through the other, and resumes on either after Last-Event-ID', async () => {
    const other = await startApp(await pg.openNode({}, 'node-b'));
    try {
      const alice = await join(
        'Alice',
        (await findMeeting(storeOf(db).sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))?.organizerKey,
      );
      const bob = await join('Bob');
      for (const text of ['one', 'two', 'three']) expect((await chat(alice, text, other.base)).status).toBe(201);
      const onA = await readStream(bob, (events) => chatTexts(events).length === 3);
      expect(onA[0]?.event).toMatchObject({
        type: 'snapshot',
        roster: [{ displayName: 'Alice' }, { displayName: 'Bob' }],
      });
      const lastId = onA.filter((e) => e.id).at(-1)?.id as string;
      for (const text of ['four', 'five']) expect((await chat(alice, text, other.base)).status).toBe(201);
      // The replay reads the log from the table, a page at a time, through the SSE sink.
      const onB = await readStream(
        bob,
        (events) => chatTexts(events).length === 2,
        { 'last-event-id': lastId },
        other.base,
      );
      expect([...chatTexts(onA), ...chatTexts(onB)]).toEqual(['one', 'two', 'three', 'four', 'five']);
      expect(onB.flatMap((e) => (e.id ? [Number(e.id)] : []))).toEqual([4, 5]);
    } finally {
      await other.close();
    }
  });
});
