/** new-meeting, meetings, remove-meeting. */
import { adminWrite } from '../store/admin-write';
import { dialInFor, meetingEndedAt } from '../store/dialin';
import { deleteMeeting, listMeetings, listMeetingsOf } from '../store/meetings';
import { meetingLinks } from '../topology/links';
import { findMeetingByIdentity, type ScheduledMeeting, ScheduleError, scheduleMeeting } from '../topology/scheduling';
import { findPool } from '../topology/topology';
import { CliError, flag, text, type VerbContext } from './context';

export async function newMeeting(ctx: VerbContext): Promise<string[]> {
  const request = {
    organizer: text(ctx.command, 'Organizer') as string,
    subject: text(ctx.command, 'Subject') as string,
    lobby: flag(ctx.command, 'Lobby'),
    pool: ctx.command.pool,
  };
  // The schedule runs in a transaction that is rolled back for -WhatIf: every check, no write.
  const rollback = new Error('what-if');
  let outcome: ScheduledMeeting | undefined;
  try {
    await adminWrite(ctx.store, async (sql) => {
      outcome = await scheduleMeeting(sql, request);
      if (ctx.command.whatIf) throw rollback;
    });
  } catch (error) {
    if (error instanceof ScheduleError) throw new CliError(error.message);
    if (error !== rollback) throw error;
  }
  const { meeting, phoneConferenceId } = outcome as ScheduledMeeting;
  if (ctx.command.whatIf)
    return [`What if: would schedule "${meeting.subject}" for ${meeting.organizerUri} on ${meeting.pool}`];
  const links = await meetingLinks(ctx.sql, meeting, ctx.links);
  const result = { ...links, conferenceId: meeting.conferenceId, phoneConferenceId };
  if (ctx.command.json) return [JSON.stringify(result, null, 2)];
  return [
    `Scheduled "${meeting.subject}" for ${meeting.organizerUri} on ${meeting.pool}${meeting.lobby ? ' (lobby)' : ''}`,
    `  guest link:          ${result.guestLink}`,
    `  organizer link:      ${result.organizerLink}`,
    `  conference ID:       ${result.conferenceId}`,
    `  phone conference ID: ${result.phoneConferenceId}`,
  ];
}

export async function meetings(ctx: VerbContext): Promise<string[]> {
  const { sql } = ctx;
  if (ctx.command.pool !== undefined && !(await findPool(sql, ctx.command.pool)))
    throw new CliError(`There is no pool named "${ctx.command.pool}".`);
  const list = ctx.command.pool === undefined ? await listMeetings(sql) : await listMeetingsOf(sql, ctx.command.pool);
  const rows = [];
  for (const m of list) {
    rows.push({
      pool: m.pool,
      organizer: m.organizerUri,
      subject: m.subject,
      lobby: m.lobby,
      ended: (await meetingEndedAt(sql, m.key)) !== undefined,
      identity: `${m.organizer}/${m.conferenceId}`,
      conferenceId: m.conferenceId,
      phoneConferenceId: (await dialInFor(sql, m.key))?.conferenceId ?? null,
      ...(await meetingLinks(sql, m, ctx.links)),
    });
  }
  if (ctx.command.json) return [JSON.stringify({ meetings: rows }, null, 2)];
  if (rows.length === 0) return ['No meetings: schedule one with new-meeting.'];
  return rows.map(
    (m) =>
      `${m.pool}  ${m.subject}${m.lobby ? ' (lobby)' : ''}${m.ended ? ' (ended)' : ''}  [${m.identity}${m.phoneConferenceId ? `, phone ${m.phoneConferenceId}` : ''}]\n  guest:     ${m.guestLink}\n  organizer: ${m.organizerLink}`,
  );
}

export function removeMeeting(ctx: VerbContext): Promise<string[]> {
  const identity = ctx.command.identity as string;
  return adminWrite(ctx.store, async (sql) => {
    const meeting = await findMeetingByIdentity(sql, identity);
    if (!meeting)
      throw new CliError(
        `There is no meeting "${identity}" (write it <organizer>/<conferenceId>, as "meetings" lists).`,
      );
    const what = `"${meeting.subject}" (${meeting.organizer}/${meeting.conferenceId}) on ${meeting.pool}`;
    if (ctx.command.whatIf) return [`What if: would remove ${what}`];
    await deleteMeeting(sql, meeting.key);
    return [`Removed ${what}; open pages see it end within seconds`];
  });
}
