/**
 * The scheduling API for calendars and bots: `POST /api/v1/schedule/meetings` and
 * `DELETE /api/v1/schedule/meetings/<organizer>/<conferenceId>`, with `Authorization: Bearer <key>`.
 * A key works only on its own pool's hosts and only for organizers of that pool's SIP domains.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { API_PREFIX } from '../../shared/constants';
import type { Live } from '../conference/live';
import type { Db } from '../db';
import { type LinkStyle, meetingLinks } from '../links';
import { findMeetingByIdentity, parseSipAddress, ScheduleError, scheduleMeeting } from '../scheduling';
import { authenticateApiKey } from '../store/api-keys';
import { deleteMeeting } from '../store/meetings';
import { sipDomainsOf } from '../store/sites-pools';

/** Per client address: a calendar books a handful a minute; a loop or a key-guesser gets 429. */
export const SCHEDULE_RATE_LIMIT_PER_MINUTE = 60;

const newMeetingBody = v.strictObject({
  organizer: v.pipe(v.string(), v.maxLength(320)),
  subject: v.pipe(v.string(), v.maxLength(1000)),
  lobby: v.optional(v.boolean()),
});

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ code, message });
}

export function registerScheduleRoutes(app: FastifyInstance, db: Db, live: Live, links: () => LinkStyle) {
  const limit = { rateLimit: { max: SCHEDULE_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };

  /** The key's pool, if the request carries a valid key for the pool this host serves. */
  function keyPool(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const key = token ? authenticateApiKey(db, token, Date.now()) : undefined;
    if (!key) {
      reply.header('www-authenticate', 'Bearer');
      fail(reply, 401, 'api-key-invalid', 'A valid API key is needed: Authorization: Bearer <key>.');
      return undefined;
    }
    if (key.pool.toLowerCase() !== request.pool.fqdn.toLowerCase()) {
      fail(reply, 403, 'api-key-wrong-pool', 'This API key belongs to another pool.');
      return undefined;
    }
    return request.pool.fqdn;
  }

  app.post(`${API_PREFIX}/schedule/meetings`, { config: limit }, async (request, reply) => {
    const pool = keyPool(request, reply);
    if (!pool) return reply;
    const body = v.safeParse(newMeetingBody, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The body must be {"organizer", "subject", "lobby"?}.');
    const sip = parseSipAddress(body.output.organizer);
    if (!sip)
      return fail(reply, 400, 'organizer-invalid', 'The organizer must be a SIP address such as alice@contoso.com.');
    if (!sipDomainsOf(db, pool).includes(sip.domain))
      return fail(reply, 403, 'organizer-not-on-pool', "This pool does not host the organizer's SIP domain.");
    try {
      const { meeting, phoneConferenceId } = db.transaction(() => scheduleMeeting(db, { ...body.output, pool }))();
      const answer = { ...meetingLinks(db, meeting, links()), conferenceId: meeting.conferenceId, phoneConferenceId };
      return reply.code(201).header('cache-control', 'no-store').send(answer);
    } catch (error) {
      if (error instanceof ScheduleError) return fail(reply, 400, error.code, error.message);
      throw error;
    }
  });

  app.delete<{ Params: { organizer: string; conferenceId: string } }>(
    `${API_PREFIX}/schedule/meetings/:organizer/:conferenceId`,
    { config: limit },
    async (request, reply) => {
      const pool = keyPool(request, reply);
      if (!pool) return reply;
      const { organizer, conferenceId } = request.params;
      const meeting = findMeetingByIdentity(db, `${organizer}/${conferenceId}`);
      const domain = meeting?.organizerUri.split('@')[1]?.toLowerCase() ?? '';
      if (!meeting || meeting.pool.toLowerCase() !== pool.toLowerCase() || !sipDomainsOf(db, pool).includes(domain))
        return fail(reply, 404, 'meeting-not-found', 'There is no such meeting on this pool.');
      db.transaction(() => deleteMeeting(db, meeting.key))();
      await live.endMeeting(meeting.key);
      return reply.code(204).send();
    },
  );
}
