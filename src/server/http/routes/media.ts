/**
 * The media half of the conference API: a participant starts its audio/video session (its mode in
 * the mesh, the peers to call, ICE servers with fresh TURN credentials) and relays signalling to
 * another participant of the same meeting. Bounded: a body cap, a per-sender rate, strict bodies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { API_PREFIX } from '../../../shared/constants';
import {
  MAX_SIGNAL_BYTES,
  type MediaSessionResponse,
  mediaRequest,
  signalRequest,
  TURN_CREDENTIAL_TTL_SECONDS,
} from '../../../shared/media-schema';
import type { Live } from '../../live/live';
import { MediaMesh } from '../../live/signal';
import { iceServersFor } from '../../live/turn';

type ParticipantParams = { id: string };

export interface MediaRouteOptions {
  /** coturn's `static-auth-secret`; without it TURN URLs are not handed out. */
  turnSecret?: string;
  now?: () => number;
}

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ code, message });
}

export function registerMediaRoutes(app: FastifyInstance, live: Live, options: MediaRouteOptions = {}): MediaMesh {
  const now = options.now ?? Date.now;
  const mesh = new MediaMesh(live, now);

  /** The participant whose bearer token matches, in the meeting (not the lobby, not gone). */
  async function inMeeting(request: FastifyRequest<{ Params: ParticipantParams }>, reply: FastifyReply) {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const participant = await live.authenticate(request.params.id, token);
    if (!participant) {
      fail(reply, 401, 'not-a-participant', 'Unknown participant or wrong token.');
      return undefined;
    }
    if (participant.state !== 'in-meeting') {
      fail(reply, 403, 'not-in-meeting', 'Only people in the meeting can take part in the call.');
      return undefined;
    }
    return participant;
  }

  app.post<{ Params: ParticipantParams }>(`${API_PREFIX}/participants/:id/media`, async (request, reply) => {
    const participant = await inMeeting(request, reply);
    if (!participant) return reply;
    const body = v.safeParse(mediaRequest, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The request body must be {"video": boolean}.');
    const { mode, peers } = await mesh.start(participant, body.output.video);
    const config = request.poolConfig;
    const answer: MediaSessionResponse = {
      mode,
      peers,
      iceServers: iceServersFor(
        config.IceServers,
        options.turnSecret,
        participant.id,
        TURN_CREDENTIAL_TTL_SECONDS,
        now(),
      ),
    };
    return reply.header('cache-control', 'no-store').send(answer);
  });

  app.post<{ Params: ParticipantParams }>(
    `${API_PREFIX}/participants/:id/signal`,
    // Many people behind one NAT signal at once when someone joins: the per-sender bucket is the real cap.
    { bodyLimit: MAX_SIGNAL_BYTES, config: { rateLimit: { max: 6000, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const participant = await inMeeting(request, reply);
      if (!participant) return reply;
      const body = v.safeParse(signalRequest, request.body);
      if (!body.success) {
        return fail(
          reply,
          400,
          'bad-request',
          'The request body must be {"to", "signal": offer|answer|candidate|state}.',
        );
      }
      const relayed = await mesh.relay(participant, body.output.to, body.output.signal);
      if (!relayed.ok) return fail(reply, relayed.status, relayed.code, relayed.message);
      return reply.code(204).send();
    },
  );
  return mesh;
}
