/** The mesh's per-sender signal bucket, on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { LiveMeetings } from '../../src/server/conference/live';
import { MediaMesh } from '../../src/server/conference/signal';
import { SIGNAL_BURST, SIGNALS_PER_SECOND } from '../../src/shared/media-schema';

describe('MediaMesh rate cap', () => {
  it('lets a burst through, refuses the next, and refills at the documented rate', () => {
    let now = 1_000_000;
    const live = new LiveMeetings({}, () => now);
    const mesh = new MediaMesh(live, () => now);
    const ann = live.join('m', 'Ann', 'guest', false) as NonNullable<ReturnType<LiveMeetings['join']>>;
    const ben = live.join('m', 'Ben', 'guest', false) as NonNullable<ReturnType<LiveMeetings['join']>>;
    mesh.start(ann, true);
    mesh.start(ben, true);
    const state = { kind: 'state', camera: true, mic: true } as const;
    for (let i = 0; i < SIGNAL_BURST; i++) expect(mesh.relay(ben, ann.id, state)).toEqual({ ok: true });
    expect(mesh.relay(ben, ann.id, state)).toMatchObject({ ok: false, status: 429, code: 'signal-rate-limited' });
    now += 1000;
    for (let i = 0; i < SIGNALS_PER_SECOND; i++) expect(mesh.relay(ben, ann.id, state).ok).toBe(true);
    expect(mesh.relay(ben, ann.id, state).ok).toBe(false);
    // Ann's bucket is her own.
    expect(mesh.relay(ann, ben.id, state).ok).toBe(true);
    live.closeAllStreams();
  });
});
