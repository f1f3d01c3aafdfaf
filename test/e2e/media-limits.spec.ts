/**
 * The mesh's limits in the browser (docs/features.md "Audio and video", docs/security.md Limits): the first 6 people with media
 * send video, a newcomer past that joins with audio only, past 10 with chat only, each told why.
 * Seven or eleven Chromiums with fake media are too heavy for a 2-core machine, so all but one of
 * the people already in the call join through the API (media-helpers.ts `joinThroughApi`): the
 * server counts them in the mesh like anyone (the limits are the product's own), they only never
 * answer a call. Ann, in a browser, is the one the newcomer really talks to.
 */
import type { Page } from '@playwright/test';
import { MESH_MEDIA_LIMIT, MESH_VIDEO_LIMIT } from '../../src/shared/media-schema';
import { joinAsGuest, openMeeting, type PoolServer } from './fixtures';
import {
  type ApiParticipant,
  joinThroughApi,
  recordPeerConnections,
  recordTracks,
  rtpBytes,
  selfId,
  soundFrom,
  trackStates,
} from './media-helpers';
import { ALICE, test as base, chatLog, expect, type People, say } from './shell-helpers';

const test = base.extend<{ crowd: (count: number) => Promise<ApiParticipant[]> }>({
  crowd: async ({ pool }, use) => {
    const everyone: ApiParticipant[] = [];
    await use(async (count) => {
      const joined: ApiParticipant[] = [];
      for (let i = 1; i <= count; i++) joined.push(await joinThroughApi(pool, ALICE, `Crowd ${everyone.length + i}`));
      everyone.push(...joined);
      return joined;
    });
    for (const person of everyone) await person.leave();
  },
});

/** A person in a browser who joins the meeting; their tracks and peer connections recorded. */
async function joinInBrowser(people: People, pool: PoolServer, name: string): Promise<Page> {
  const page = await people.newPage();
  await recordTracks(page);
  await recordPeerConnections(page);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await joinAsGuest(page, name);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  return page;
}

const modes = (people: ApiParticipant[]) => people.map((p) => p.mode);

test(`past ${MESH_VIDEO_LIMIT} people sending video, a newcomer joins with audio only and is told why`, async ({
  pool,
  people,
  crowd,
}) => {
  const ann = await joinInBrowser(people, pool, 'Ann Lee');
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  await expect(ann.getByTestId('media-notice')).toHaveCount(0);
  // Ann and five more send video: the video places are taken.
  expect(modes(await crowd(MESH_VIDEO_LIMIT - 1))).toEqual(Array(MESH_VIDEO_LIMIT - 1).fill('video'));

  const ben = await joinInBrowser(people, pool, 'Ben Ode');
  const notice = ben.getByTestId('media-notice');
  await expect(notice).toHaveAttribute('data-reason', 'audio-only');
  await expect(notice).toHaveText('Many people here already share video, so you joined with audio only.');
  await expect(ben.getByTestId('camera')).toBeDisabled();
  await expect(ben.getByTestId('camera')).toHaveAttribute('aria-pressed', 'false');
  await expect(ben.getByTestId('media-tile')).toHaveCount(1 + MESH_VIDEO_LIMIT);
  await expect(ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(ann.getByTestId('media-notice')).toHaveCount(0);

  // They hear each other...
  const annId = await selfId(ann);
  const benId = await selfId(ben);
  await expect.poll(() => soundFrom(ann, benId)).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(ben, annId)).toBeGreaterThan(0.01);
  await expect.poll(async () => (await rtpBytes(ann)).audioIn).toBeGreaterThan(8_000);
  await expect.poll(async () => (await rtpBytes(ben)).audioIn).toBeGreaterThan(8_000);
  // ...and, with seconds of sound through, not one byte of video went either way.
  expect(await rtpBytes(ben)).toMatchObject({ videoIn: 0, videoOut: 0 });
  expect(await rtpBytes(ann)).toMatchObject({ videoIn: 0, videoOut: 0 });
  // Each shows the other's initials; Ben's camera (on in the device check) is off, its light too.
  const tileOf = (page: Page, id: string) => page.locator(`[data-testid="media-tile"][data-participant-id="${id}"]`);
  await expect(tileOf(ann, benId)).toHaveAttribute('data-camera', 'off');
  await expect(tileOf(ben, annId)).toHaveAttribute('data-camera', 'off');
  await expect(tileOf(ben, annId).locator('.initials')).toHaveText('AL');
  expect(await trackStates(ben)).toContain('video:ended');
  expect(await trackStates(ben)).not.toContain('video:live');
});

test(`past ${MESH_MEDIA_LIMIT} people in the call, a newcomer has chat only, is told why, and chats`, async ({
  pool,
  people,
  crowd,
}) => {
  const ann = await joinInBrowser(people, pool, 'Ann Lee');
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  // Ann and nine more in the call: five more send video, the next four audio only.
  expect(modes(await crowd(MESH_MEDIA_LIMIT - 1))).toEqual([
    ...Array(MESH_VIDEO_LIMIT - 1).fill('video'),
    ...Array(MESH_MEDIA_LIMIT - MESH_VIDEO_LIMIT).fill('audio'),
  ]);

  const cy = await joinInBrowser(people, pool, 'Cy Park');
  const notice = cy.getByTestId('media-notice');
  await expect(notice).toHaveAttribute('data-reason', 'chat-only');
  await expect(notice).toHaveText(
    'This call is full, so you joined with chat only. You can still see who is here and chat.',
  );
  // No media at all: no tiles, no camera control, no connection, the device check's tracks stopped.
  await expect(cy.getByTestId('media-tile')).toHaveCount(0);
  await expect(cy.getByTestId('camera')).toHaveCount(0);
  await expect.poll(() => trackStates(cy)).toEqual(expect.arrayContaining(['audio:ended', 'video:ended']));
  expect((await trackStates(cy)).filter((state) => state.endsWith(':live'))).toEqual([]);
  expect(
    await cy.evaluate(() => (window as unknown as { __peerConnections: unknown[] }).__peerConnections.length),
  ).toBe(0);
  // Ann's call has not changed; Cy is in the meeting all the same, and they chat.
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
  await expect(ann.getByTestId('roster-entry').filter({ hasText: 'Cy Park' })).toBeVisible();
  await say(cy, 'Hello from the chat');
  await expect.poll(() => chatLog(ann)).toContain('Cy Park: Hello from the chat');
  await say(ann, 'Welcome, Cy');
  await expect.poll(() => chatLog(cy)).toContain('Ann Lee: Welcome, Cy');
});
