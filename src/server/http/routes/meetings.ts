/** The conference API: meeting lookup, join (guest or organizer), event stream, chat, mute, lobby, end, leave. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import {
  chatRequest,
  checkChatText,
  checkDisplayName,
  type JoinResponse,
  joinRequest,
  type LobbyBatchResponse,
  lobbyDecisionRequest,
  lockRequest,
  muteRequest,
} from '../../../shared/api-schema';
import { API_PREFIX } from '../../../shared/constants';
import type { Live, Participant } from '../../live/live';
import { findPoolMeeting, lookupMeeting, meetingEndedBody } from '../../live/lookup';
import { lastEventIdOf, openSseSink, type SseOptions } from '../../live/sse';
import { bearerToken, sameSecret } from '../../secrets/same-secret';
import type { Sql } from '../../sql/sql';
import { meetingEndedAt } from '../../store/dialin';
import type { Meeting } from '../../store/meetings';
import { securityHeaders } from './security-headers';

type MeetingParams = { organizer: string; conferenceId: string };
type ParticipantParams = { id: string };

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ code, message });
}

/** The one answer for a meeting that has ended (lookup and join). */
function meetingEnded(reply: FastifyReply, endedAt: number) {
  return reply.code(410).send(meetingEndedBody(endedAt));
}

export function registerConferenceRoutes(app: FastifyInstance, sql: Sql, live: Live, sse: SseOptions = {}): void {
  const streamsByAddress = new Map<string, number>();
  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => live.closeAllStreams());

  /** The meeting on this request's pool, or an answer saying why not. */
  async function meetingFor(
    request: FastifyRequest<{ Params: MeetingParams }>,
    reply: FastifyReply,
  ): Promise<Meeting | undefined> {
    const found = await findPoolMeeting(sql, request.pool, request.params);
    if (!('status' in found)) return found;
    fail(reply, found.status, found.code, found.message);
    return undefined;
  }

  /** The participant named in the path whose bearer token matches and who is still in the meeting. */
  async function participantFor(
    request: FastifyRequest<{ Params: ParticipantParams }>,
    reply: FastifyReply,
    token = bearerToken(request),
  ): Promise<Participant | undefined> {
    const participant = await live.authenticate(request.params.id, token);
    if (!participant) {
      fail(reply, 401, 'not-a-participant', 'Unknown participant or wrong token.');
      return undefined;
    }
    if (participant.state === 'gone') {
      // The reason lets a page whose stream dropped say "removed" rather than "connection lost".
      reply.code(410).send({
        code: 'no-longer-in-meeting',
        message: 'You are no longer in this meeting.',
        ...(participant.endReason && { reason: participant.endReason }),
      });
      return undefined;
    }
    return participant;
  }

  async function organizerFor(request: FastifyRequest<{ Params: ParticipantParams }>, reply: FastifyReply) {
    const participant = await participantFor(request, reply);
    if (participant && (participant.role !== 'organizer' || participant.state !== 'in-meeting')) {
      fail(reply, 403, 'organizer-only', 'Only the organizer can do this.');
      return undefined;
    }
    return participant;
  }

  app.get<{ Params: MeetingParams }>(`${API_PREFIX}/meetings/:organizer/:conferenceId`, async (request, reply) => {
    const answer = await lookupMeeting(sql, request.pool, request.params);
    return reply.header('cache-control', 'no-store').code(answer.status).send(answer.body);
  });

  app.post<{ Params: MeetingParams }>(
    `${API_PREFIX}/meetings/:organizer/:conferenceId/participants`,
    { config: { rateLimit: { max: 300, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const meeting = await meetingFor(request, reply);
      if (!meeting) return reply;
      const endedAt = await meetingEndedAt(sql, meeting.key);
      if (endedAt !== undefined) return meetingEnded(reply, endedAt);
      const body = v.safeParse(joinRequest, request.body);
      if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"displayName": string}.');
      const name = checkDisplayName(body.output.displayName);
      if (!name.ok) return fail(reply, 400, name.problem, 'The display name is not acceptable.');
      const { organizerKey } = body.output;
      if (organizerKey !== undefined && !sameSecret(organizerKey, meeting.organizerKey)) {
        return fail(reply, 403, 'organizer-key-invalid', 'This organizer link is not valid for this meeting.');
      }
      const role = organizerKey === undefined ? 'guest' : 'organizer';
      if (role === 'guest' && !request.poolConfig.AllowAnonymousJoin) {
        return fail(reply, 403, 'anonymous-join-not-allowed', 'This meeting does not allow guests to join.');
      }
      // request.ip: the socket's address, or the forwarded one only behind a trusted proxy.
      const { deviceId, formerToken } = body.output;
      const joined = await live.joinFrom(meeting.key, name.name, role, meeting.lobby, {
        address: request.ip,
        device: deviceId,
        formerToken,
      });
      if (!joined.ok) {
        return joined.problem === 'meeting-full'
          ? fail(reply, 409, 'meeting-full', 'This meeting is full.')
          : fail(reply, 409, 'address-full', 'Too many people from this address are in this meeting or its lobby.');
      }
      const { participant } = joined;
      const answer: JoinResponse = {
        participantId: participant.id,
        token: participant.token,
        state: participant.state === 'lobby' ? 'lobby' : 'in-meeting',
        role,
        threadId: await live.threadIdOf(participant),
      };
      return reply.code(201).header('cache-control', 'no-store').send(answer);
    },
  );

  // EventSource cannot send headers: the token rides in the query of this one URL only.
  app.get<{ Params: ParticipantParams; Querystring: { token?: string; lastEventId?: string } }>(
    `${API_PREFIX}/participants/:id/events`,
    async (request, reply) => {
      const participant = await live.authenticate(request.params.id, String(request.query.token ?? ''));
      if (!participant) return fail(reply, 401, 'not-a-participant', 'Unknown participant or wrong token.');
      const address = request.ip;
      const open = streamsByAddress.get(address) ?? 0;
      if (open >= live.limits.maxStreamsPerAddress) {
        return reply
          .code(429)
          .header('retry-after', '30')
          .send({ code: 'too-many-streams', message: 'Too many open event streams from this address.' });
      }
      streamsByAddress.set(address, open + 1);
      const lastEventId = lastEventIdOf(request.headers['last-event-id'], request.query.lastEventId);
      reply.hijack();
      const headers = securityHeaders(request.poolConfig, request.protocol === 'https');
      const onClosed = () => {
        const left = (streamsByAddress.get(address) ?? 1) - 1;
        if (left > 0) streamsByAddress.set(address, left);
        else streamsByAddress.delete(address);
        live
          .disconnect(participant, sink)
          .catch((error) => request.log.warn({ err: error }, 'stream close not recorded'));
      };
      const sink = openSseSink(reply.raw, onClosed, headers, sse);
      // The response is hijacked: a failure here can only end the stream (the page reconnects).
      await live.connect(participant, sink, lastEventId).catch((error) => {
        request.log.error({ err: error }, 'event stream could not open');
        sink.close();
      });
      return reply;
    },
  );

  app.post<{ Params: ParticipantParams }>(
    `${API_PREFIX}/participants/:id/chat`,
    { config: { rateLimit: { max: 600, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const participant = await participantFor(request, reply);
      if (!participant) return reply;
      if (participant.state !== 'in-meeting') return fail(reply, 403, 'not-in-meeting', 'Wait until you are admitted.');
      const body = v.safeParse(chatRequest, request.body);
      if (!body.success)
        return fail(reply, 400, 'bad-request', 'The request body must be {"text", "clientMessageId"}.');
      const text = checkChatText(body.output.text);
      if (!text.ok) return fail(reply, 400, text.problem, 'The message is not acceptable.');
      const sent = await live.chat(participant, text.text, body.output.clientMessageId);
      if (!sent.ok) return fail(reply, 429, sent.problem, 'You are sending messages too fast.');
      return reply.code(201).send(sent.message);
    },
  );

  app.post<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id/mute`, async (request, reply) => {
    const participant = await participantFor(request, reply);
    if (!participant) return reply;
    const body = v.safeParse(muteRequest, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"muted": boolean}.');
    await live.setMuted(participant, body.output.muted);
    return reply.code(204).send();
  });

  app.post<{ Params: ParticipantParams & { guestId: string } }>(
    `${API_PREFIX}/participants/:id/lobby/:guestId`,
    async (request, reply) => {
      const organizer = await organizerFor(request, reply);
      if (!organizer) return reply;
      const body = v.safeParse(lobbyDecisionRequest, request.body);
      if (!body.success)
        return fail(reply, 400, 'bad-request', 'The request body must be {"decision": "admit"|"deny"}.');
      const decided = await live.decide(organizer, request.params.guestId, body.output.decision === 'admit');
      if (decided === 'full') return fail(reply, 409, 'meeting-full', 'Every seat in this meeting is taken.');
      if (!decided) return fail(reply, 404, 'not-in-lobby', 'This person is no longer waiting in the lobby.');
      return reply.code(204).send();
    },
  );

  // Admit all or deny all: everyone waiting, in join order (admitting stops when the seats are full).
  app.post<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id/lobby`, async (request, reply) => {
    const organizer = await organizerFor(request, reply);
    if (!organizer) return reply;
    const body = v.safeParse(lobbyDecisionRequest, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"decision": "admit"|"deny"}.');
    const batch: LobbyBatchResponse = await live.decideAll(organizer, body.output.decision === 'admit');
    return reply.code(200).header('cache-control', 'no-store').send(batch);
  });

  // The organizer locks the meeting (every new guest waits in the lobby) or unlocks it.
  app.post<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id/lock`, async (request, reply) => {
    const organizer = await organizerFor(request, reply);
    if (!organizer) return reply;
    const body = v.safeParse(lockRequest, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"locked": boolean}.');
    if (!(await live.setLocked(organizer, body.output.locked))) {
      return fail(reply, 403, 'organizer-only', 'Only the organizer can do this.');
    }
    return reply.code(204).send();
  });

  // The organizer removes someone from the meeting or the lobby; their page ends as "removed", and
  // they (same token, device or address) come back only through the lobby while the meeting lasts.
  app.post<{ Params: ParticipantParams & { targetId: string } }>(
    `${API_PREFIX}/participants/:id/remove/:targetId`,
    async (request, reply) => {
      const organizer = await organizerFor(request, reply);
      if (!organizer) return reply;
      if (!(await live.remove(organizer, request.params.targetId))) {
        return fail(reply, 404, 'not-in-meeting', 'This person is not in the meeting.');
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id/end`, async (request, reply) => {
    const organizer = await organizerFor(request, reply);
    if (!organizer) return reply;
    await live.end(organizer);
    return reply.code(204).send();
  });

  // Lets a page whose stream was refused tell "still in, keep retrying" from "gone" (e.g. a restart).
  app.get<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id`, async (request, reply) => {
    const participant = await participantFor(request, reply);
    if (!participant) return reply;
    reply.header('cache-control', 'no-store');
    return { state: participant.state };
  });

  app.delete<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id`, async (request, reply) => {
    const participant = await live.authenticate(request.params.id, bearerToken(request));
    if (!participant) return fail(reply, 401, 'not-a-participant', 'Unknown participant or wrong token.');
    await live.leave(participant);
    return reply.code(204).send();
  });
}
