/**
 * One address cannot lock a meeting, through the real routes: fifty guests from one address all
 * get in, 250 take only the address's share of the seats (and of the lobby) and other addresses
 * still get in; the organizer always gets in, can lock the meeting, admit or deny the whole lobby
 * and remove a participant, who comes back only through the lobby; display names need a visible
 * character and cannot smuggle format characters.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findMeeting } from '../../src/server/store/meetings';
import { checkDisplayName, type JoinResponse } from '../../src/shared/api-schema';
import { postgresEngine } from '../support/live-engines';
import { startTestApp, type TestApp } from '../support/security-app';

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

const join = (
  meeting: string,
  displayName: string,
  organizerKey?: string,
  from: { remoteAddress?: string; deviceId?: string; formerToken?: string } = {},
) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meeting}/participants`,
    remoteAddress: from.remoteAddress ?? '127.0.0.1',
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: {
      displayName,
      ...(organizerKey && { organizerKey }),
      ...(from.deviceId && { deviceId: from.deviceId }),
      ...(from.formerToken && { formerToken: from.formerToken }),
    },
  });

/** An organizer's (or anyone's) call on their own behalf. */
const callAs = (who: JoinResponse, path: string, payload?: object) =>
  t.app.inject({
    method: payload ? 'POST' : 'GET',
    url: `/api/v1/participants/${who.participantId}${path}`,
    headers: {
      host: '127.0.0.1',
      authorization: `Bearer ${who.token}`,
      ...(payload && { 'content-type': 'application/json' }),
    },
    ...(payload && { payload }),
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

  it('250 joins from one address cannot fill the meeting: 100 seats, then a clear refusal; others get in', async () => {
    const answers = [];
    for (let i = 0; i < 250; i++) answers.push(await join('alice/7Q3DSSYV', `Bot ${i}`));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(100);
    const refused = answers.slice(100);
    expect(refused.every((a) => a.statusCode === 409)).toBe(true);
    expect(refused[0]?.json()).toMatchObject({ code: 'address-full' });
    const guest = await join('alice/7Q3DSSYV', 'Real guest', undefined, { remoteAddress: '198.51.100.20' });
    expect(guest.statusCode).toBe(201);
    expect(guest.json()).toMatchObject({ state: 'in-meeting' });
    const organizer = await join('alice/7Q3DSSYV', 'Alice', await keyOf('alice', '7Q3DSSYV'));
    expect(organizer.json()).toMatchObject({ role: 'organizer', state: 'in-meeting' });
  }, 60_000);

  it('one address holds 60 of the 100 lobby places; others still wait; the organizer always gets in', async () => {
    const lobby = [];
    for (let i = 0; i < 61; i++) lobby.push(await join('kenmyer/071200', `Bot ${i}`));
    expect(lobby.slice(0, 60).every((a) => a.statusCode === 201)).toBe(true);
    expect(lobby[60]?.statusCode).toBe(409);
    expect(lobby[60]?.json()).toMatchObject({ code: 'address-full' });
    for (let i = 0; i < 40; i++) {
      const other = await join('kenmyer/071200', `Guest ${i}`, undefined, { remoteAddress: '198.51.100.20' });
      expect(other.json()).toMatchObject({ state: 'lobby' });
    }
    const refused = await join('kenmyer/071200', 'Late', undefined, { remoteAddress: '192.0.2.1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'meeting-full' });
    const organizer = await join('kenmyer/071200', 'Ken', await keyOf('kenmyer', '071200'));
    expect(organizer.statusCode).toBe(201);
    expect(organizer.json()).toMatchObject({ role: 'organizer', state: 'in-meeting' });
  }, 60_000);

  it('the organizer locks the meeting, then admits or denies everyone waiting; guests cannot', async () => {
    const organizer = (await join('alice/7Q3DSSYV', 'Alice', await keyOf('alice', '7Q3DSSYV'))).json() as JoinResponse;
    const inside = (await join('alice/7Q3DSSYV', 'Inside')).json() as JoinResponse;
    expect((await callAs(inside, '/lock', { locked: true })).statusCode).toBe(403);
    expect((await callAs(inside, '/lobby', { decision: 'admit' })).statusCode).toBe(403);
    expect((await callAs(organizer, '/lock', { locked: 'yes' })).statusCode).toBe(400);
    expect((await callAs(organizer, '/lock', { locked: true })).statusCode).toBe(204);
    const waiting = [];
    for (const name of ['A', 'B', 'C']) {
      const answer = (await join('alice/7Q3DSSYV', name)).json() as JoinResponse;
      expect(answer.state).toBe('lobby');
      waiting.push(answer);
    }
    expect((await callAs(organizer, '/lobby', { decision: 'maybe' })).statusCode).toBe(400);
    const admitted = await callAs(organizer, '/lobby', { decision: 'admit' });
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toEqual({ decided: 3, waiting: 0 });
    expect((await callAs(waiting[0] as JoinResponse, '')).json()).toEqual({ state: 'in-meeting' });
    const denied = (await join('alice/7Q3DSSYV', 'D')).json() as JoinResponse;
    expect((await callAs(organizer, '/lobby', { decision: 'deny' })).json()).toEqual({ decided: 1, waiting: 0 });
    expect((await callAs(denied, '')).json()).toMatchObject({ code: 'no-longer-in-meeting', reason: 'denied' });
    expect((await callAs(organizer, '/lock', { locked: false })).statusCode).toBe(204);
    expect((await join('alice/7Q3DSSYV', 'Walks in')).json()).toMatchObject({ state: 'in-meeting' });
  });

  it('someone removed is told so, and comes back (same token, device or address) only through the lobby', async () => {
    const organizer = (await join('alice/7Q3DSSYV', 'Alice', await keyOf('alice', '7Q3DSSYV'))).json() as JoinResponse;
    const device = 'device-0123456789abcdef';
    const guest = (
      await join('alice/7Q3DSSYV', 'Mallory', undefined, { remoteAddress: '203.0.113.7', deviceId: device })
    ).json() as JoinResponse;
    expect((await callAs(organizer, `/remove/${guest.participantId}`, {})).statusCode).toBe(204);
    const status = await callAs(guest, '');
    expect(status.statusCode).toBe(410);
    expect(status.json()).toMatchObject({ code: 'no-longer-in-meeting', reason: 'removed' });
    const elsewhere = { remoteAddress: '198.51.100.20' };
    for (const from of [
      { ...elsewhere, formerToken: guest.token },
      { ...elsewhere, deviceId: device },
      { remoteAddress: '203.0.113.7' },
    ]) {
      expect((await join('alice/7Q3DSSYV', 'Mallory again', undefined, from)).json()).toMatchObject({
        state: 'lobby',
      });
    }
    expect((await join('alice/7Q3DSSYV', 'Someone else', undefined, elsewhere)).json()).toMatchObject({
      state: 'in-meeting',
    });
    // A device id is a short random id, not anything a page may put there.
    const bad = await join('alice/7Q3DSSYV', 'Odd', undefined, { deviceId: 'x' });
    expect(bad.statusCode).toBe(400);
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
