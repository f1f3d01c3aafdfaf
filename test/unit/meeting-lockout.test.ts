/**
 * One address cannot lock a meeting, through the real routes: fifty guests from one address all
 * get in; a lobby filled from one address still lets the organizer in; the organizer can remove a
 * participant; display names need a visible character and cannot smuggle format characters.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findMeeting } from '../../src/server/store/meetings';
import { checkDisplayName, type JoinResponse } from '../../src/shared/api-schema';
import { postgresEngine } from './live-engines';
import { startTestApp, type TestApp } from './security-app';

let t: TestApp;
/** The live meetings behind the app: in memory (the app's own), or a PostgreSQL node. */
const pg = postgresEngine();
let engine: 'memory' | 'postgres' = 'memory';
beforeAll(() => pg.setUp());
afterAll(() => pg.tearDown());
beforeEach(async () => {
  t = await startTestApp({ live: engine === 'postgres' ? await pg.openNode({}, 'node-a') : undefined });
});
afterEach(async () => {
  await t.close();
  await pg.reset();
});

const join = (meeting: string, displayName: string, organizerKey?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meeting}/participants`,
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: organizerKey ? { displayName, organizerKey } : { displayName },
  });

const keyOf = async (organizer: string, conferenceId: string) =>
  (await findMeeting(t.sql, { organizer, conferenceId }))?.organizerKey as string;

describe.each(['memory', 'postgres'] as const)('no lock-out from one address (live in %s)', (name) => {
  beforeAll(() => {
    engine = name;
  });

  it('lets fifty guests from one address in within a minute', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => join('alice/7Q3DSSYV', `Guest ${i}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(201));
    expect(answers.every((a) => (a.json() as JoinResponse).state === 'in-meeting')).toBe(true);
  });

  it('lets the organizer in when one address has filled the lobby (100)', async () => {
    const lobby = [];
    for (let i = 0; i < 100; i++) lobby.push(await join('kenmyer/071200', `Bot ${i}`));
    expect(lobby.every((a) => a.statusCode === 201)).toBe(true);
    const refused = await join('kenmyer/071200', 'Bot 100');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'meeting-full' });
    const organizer = await join('kenmyer/071200', 'Ken', await keyOf('kenmyer', '071200'));
    expect(organizer.statusCode).toBe(201);
    expect(organizer.json()).toMatchObject({ role: 'organizer', state: 'in-meeting' });
  });

  it('lets the organizer remove a participant; a guest cannot', async () => {
    const organizer = (await join('alice/7Q3DSSYV', 'Alice', await keyOf('alice', '7Q3DSSYV'))).json() as JoinResponse;
    const guest = (await join('alice/7Q3DSSYV', 'Guest')).json() as JoinResponse;
    const remove = (who: JoinResponse, target: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/participants/${who.participantId}/remove/${target}`,
        headers: { host: '127.0.0.1', authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
        payload: {},
      });
    expect((await remove(guest, organizer.participantId)).statusCode).toBe(403);
    expect((await remove(organizer, organizer.participantId)).statusCode).toBe(404);
    expect((await remove(organizer, guest.participantId)).statusCode).toBe(204);
    const status = await t.app.inject({
      url: `/api/v1/participants/${guest.participantId}`,
      headers: { host: '127.0.0.1', authorization: `Bearer ${guest.token}` },
    });
    expect(status.statusCode).toBe(410);
  });
});

describe('display names', () => {
  it.each([
    ['only zero-width spaces', '\u200b\u200b', 'name-invalid-characters'],
    ['only a Hangul filler', '\u3164', 'name-required'],
    ['only half-width fillers', '\u115f\u1160\uffa0', 'name-required'],
    ['only a blank braille pattern', '\u2800\u2800', 'name-required'],
    ['only a combining mark', '\u0301', 'name-required'],
    ['tag characters', 'Ann\u{E0041}\u{E0042}', 'name-invalid-characters'],
    ['a lone surrogate', 'Ann\ud800', 'name-invalid-characters'],
    ['a line separator', 'Ann\u2028Admin', 'name-invalid-characters'],
    ['a paragraph separator', 'Ann\u2029Admin', 'name-invalid-characters'],
    ['a zero-width space inside', 'Ad\u200bmin', 'name-invalid-characters'],
    ['a bidi override', 'Ann\u202e', 'name-invalid-characters'],
  ])('refuses %s', async (_name, raw, problem) => {
    expect(checkDisplayName(raw)).toEqual({ ok: false, problem });
    const answer = await join('alice/7Q3DSSYV', raw);
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: problem });
  });

  it.each([['Zoë'], ['محمد'], ['नमस्ते'], ['👩‍💻 Dev'], ['李雷'], ['Anne-Marie O’Neil']])('takes %s', (raw) => {
    expect(checkDisplayName(raw)).toEqual({ ok: true, name: raw });
  });
});
