/** new-meeting, meetings, remove-meeting. */
import { meetingLinks } from '../links';
import { findMeetingByIdentity, ScheduleError, scheduleMeeting } from '../scheduling';
import { adminWrite } from '../store/admin-write';
import { dialInFor, meetingEndedAt } from '../store/dialin';
import { deleteMeeting, listMeetings, listMeetingsOf } from '../store/meetings';
import { findPool } from '../topology';
import { CliError, flag, text, type VerbContext } from './context';

export function newMeeting(ctx: VerbContext): string[] {
  const request = {
    organizer: text(ctx.command, 'Organizer') as string,
    subject: text(ctx.command, 'Subject') as string,
    lobby: flag(ctx.command, 'Lobby'),
    pool: ctx.command.pool,
  };
  // The schedule runs in a transaction that is rolled back for -WhatIf: every check, no write.
  const rollback = new Error('what-if');
  let outcome: ReturnType<typeof scheduleMeeting> | undefined;
  try {
    adminWrite(ctx.db, () => {
      outcome = scheduleMeeting(ctx.db, request);
      if (ctx.command.whatIf) throw rollback;
    });
  } catch (error) {
    if (error instanceof ScheduleError) throw new CliError(error.message);
    if (error !== rollback) throw error;
  }
  const { meeting, phoneConferenceId } = outcome as NonNullable<typeof outcome>;
  if (ctx.command.whatIf)
    return [`What if: would schedule "${meeting.subject}" for ${meeting.organizerUri} on ${meeting.pool}`];
  const links = meetingLinks(ctx.db, meeting, ctx.links);
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

export function meetings(ctx: VerbContext): string[] {
  if (ctx.command.pool !== undefined && !findPool(ctx.db, ctx.command.pool))
    throw new CliError(`There is no pool named "${ctx.command.pool}".`);
  const list = ctx.command.pool === undefined ? listMeetings(ctx.db) : listMeetingsOf(ctx.db, ctx.command.pool);
  const rows = list.map((m) => ({
    pool: m.pool,
    organizer: m.organizerUri,
    subject: m.subject,
    lobby: m.lobby,
    ended: meetingEndedAt(ctx.db, m.key) !== undefined,
    identity: `${m.organizer}/${m.conferenceId}`,
    conferenceId: m.conferenceId,
    phoneConferenceId: dialInFor(ctx.db, m.key)?.conferenceId ?? null,
    ...meetingLinks(ctx.db, m, ctx.links),
  }));
  if (ctx.command.json) return [JSON.stringify({ meetings: rows }, null, 2)];
  if (rows.length === 0) return ['No meetings: schedule one with new-meeting.'];
  return rows.map(
    (m) =>
      `${m.pool}  ${m.subject}${m.lobby ? ' (lobby)' : ''}${m.ended ? ' (ended)' : ''}  [${m.identity}${m.phoneConferenceId ? `, phone ${m.phoneConferenceId}` : ''}]\n  guest:     ${m.guestLink}\n  organizer: ${m.organizerLink}`,
  );
}

export function removeMeeting(ctx: VerbContext): string[] {
  const identity = ctx.command.identity as string;
  const meeting = findMeetingByIdentity(ctx.db, identity);
  if (!meeting)
    throw new CliError(`There is no meeting "${identity}" (write it <organizer>/<conferenceId>, as "meetings" lists).`);
  const what = `"${meeting.subject}" (${meeting.organizer}/${meeting.conferenceId}) on ${meeting.pool}`;
  if (ctx.command.whatIf) return [`What if: would remove ${what}`];
  adminWrite(ctx.db, () => deleteMeeting(ctx.db, meeting.key));
  return [`Removed ${what}; open pages see it end within seconds`];
}
