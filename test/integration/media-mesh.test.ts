/** The mesh's per-sender signal bucket, on a clock the test moves (live meetings in a temp SQLite store). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../src/server/live/live';
import { MediaMesh } from '../../src/server/live/signal';
import { SIGNAL_BURST, SIGNALS_PER_SECOND } from '../../src/shared/media-schema';
import { sqliteEngine } from '../support/live-engines';

const engine = sqliteEngine();
beforeAll(() => engine.setUp());
afterAll(async () => {
  await engine.reset();
  await engine.tearDown();
});

describe('MediaMesh rate cap', () => {
  it('lets a burst through, refuses the next, and refills at the documented rate', async () => {
    let now = 1_000_000;
    const live = await engine.openNode({});
    const mesh = new MediaMesh(live, () => now);
    const ann = (await live.join('m', 'Ann', 'guest', false)) as Participant;
    const ben = (await live.join('m', 'Ben', 'guest', false)) as Participant;
    await mesh.start(ann, true);
    await mesh.start(ben, true);
    const state = { kind: 'state', camera: true, mic: true } as const;
    for (let i = 0; i < SIGNAL_BURST; i++) expect(await mesh.relay(ben, ann.id, state)).toEqual({ ok: true });
    expect(await mesh.relay(ben, ann.id, state)).toMatchObject({ ok: false, status: 429, code: 'signal-rate-limited' });
    now += 1000;
    for (let i = 0; i < SIGNALS_PER_SECOND; i++) expect((await mesh.relay(ben, ann.id, state)).ok).toBe(true);
    expect((await mesh.relay(ben, ann.id, state)).ok).toBe(false);
    // Ann's bucket is her own.
    expect((await mesh.relay(ann, ben.id, state)).ok).toBe(true);
    await live.closeAllStreams();
  });
});
