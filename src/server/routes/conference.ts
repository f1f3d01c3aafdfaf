/** The conference API: meeting lookup, guest join, leave. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { checkDisplayName, type JoinResponse, joinRequest, type MeetingInfo } from '../../shared/api-schema';
import { API_PREFIX } from '../../shared/constants';
import { parseMeetingPath } from '../../shared/meeting-url';
import type { LiveMeetings } from '../conference/live';
import type { Db } from '../db';
import { effectiveConfigFor } from '../store/config-store';
import { dialInFor, meetingEndedAt } from '../store/dialin';
import { federationDomain, findMeeting, type Meeting } from '../store/meetings';

type MeetingParams = { organizer: string; conferenceId: string };

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ code, message });
}

export function conferenceUri(meeting: Meeting): string {
  return `sip:${meeting.organizerUri};gruu;opaque=app:conf:focus:id:${meeting.conferenceId}`;
}

export function registerConferenceRoutes(app: FastifyInstance, db: Db, live: LiveMeetings): void {
  /** The meeting on this request's pool, or an answer saying why not. */
  function meetingFor(request: FastifyRequest<{ Params: MeetingParams }>, reply: FastifyReply): Meeting | undefined {
    const { organizer, conferenceId } = request.params;
    const parsed = parseMeetingPath(`/${organizer}/${conferenceId}`);
    if (!parsed.ok) {
      fail(reply, 400, 'invalid-link', 'This is not a valid meeting link.');
      return undefined;
    }
    const meeting = findMeeting(db, parsed.meeting);
    if (!meeting || meeting.pool.toLowerCase() !== request.pool.fqdn.toLowerCase()) {
      fail(reply, 404, 'meeting-not-found', 'There is no such meeting on this server.');
      return undefined;
    }
    return meeting;
  }

  app.get<{ Params: MeetingParams }>(`${API_PREFIX}/meetings/:organizer/:conferenceId`, async (request, reply) => {
    const meeting = meetingFor(request, reply);
    if (!meeting) return reply;
    reply.header('cache-control', 'no-store');
    const endedAt = meetingEndedAt(db, meeting.key);
    if (endedAt !== undefined) {
      return reply.code(410).send({ code: 'meeting-ended', message: 'This meeting has ended.', endedAt });
    }
    const info: MeetingInfo = {
      organizer: meeting.organizer,
      conferenceId: meeting.conferenceId,
      subject: meeting.subject,
      organizerUri: meeting.organizerUri,
      federationDomain: federationDomain(meeting),
      conferenceUri: conferenceUri(meeting),
      lobby: meeting.lobby,
      dialIn: dialInFor(db, meeting.key, meeting.pool),
    };
    return info;
  });

  app.post<{ Params: MeetingParams }>(
    `${API_PREFIX}/meetings/:organizer/:conferenceId/participants`,
    { config: { rateLimit: { max: 300, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const meeting = meetingFor(request, reply);
      if (!meeting) return reply;
      const body = v.safeParse(joinRequest, request.body);
      if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"displayName": string}.');
      const name = checkDisplayName(body.output.displayName);
      if (!name.ok) return fail(reply, 400, name.problem, 'The display name is not acceptable.');
      if (!effectiveConfigFor(db, request.pool).AllowAnonymousJoin) {
        return fail(reply, 403, 'anonymous-join-not-allowed', 'This meeting does not allow guests to join.');
      }
      const participant = live.join(meeting.key, name.name, meeting.lobby ? 'lobby' : 'in-meeting');
      if (!participant) return fail(reply, 409, 'meeting-full', 'This meeting is full.');
      const answer: JoinResponse = {
        participantId: participant.id,
        token: participant.token,
        state: participant.state,
      };
      return reply.code(201).send(answer);
    },
  );

  app.delete<{ Params: { id: string } }>(`${API_PREFIX}/participants/:id`, async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const participant = live.authenticate(request.params.id, token);
    if (!participant) return fail(reply, 401, 'not-a-participant', 'Unknown participant or wrong token.');
    live.leave(participant.id);
    return reply.code(204).send();
  });
}
