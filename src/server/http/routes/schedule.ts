/**
 * The scheduling API for calendars and bots: `POST /api/v1/schedule/meetings` and
 * `DELETE /api/v1/schedule/meetings/<organizer>/<conferenceId>`, with `Authorization: Bearer <key>`.
 * A key works only on its own pool's hosts and only for organizers of that pool's SIP domains.
 *
 * Never a 500 because of a lock: checking a key is a read (its last use is noted in memory and
 * written outside the request path, store/api-key-use.ts), so a wrong key is always 401, even
 * while an admin `purge` holds the store's write lock; a write that cannot get the lock within
 * SCHEDULE_LOCK_WAIT_MS is answered 503 `store-busy` with Retry-After, and nothing was changed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { API_PREFIX } from '../../../shared/constants';
import { isBusy } from '../../disk/disk';
import type { Live } from '../../live/live';
import type { Sql } from '../../sql/sql';
import { isLockTimeout } from '../../sql/sql';
import type { Store } from '../../sql/store';
import { adminWrite } from '../../store/admin-write';
import { type ApiKeyUse, apiKeyUse } from '../../store/api-key-use';
import { authenticateApiKey } from '../../store/api-keys';
import { deleteMeeting, type Meeting } from '../../store/meetings';
import { sipDomainsOf } from '../../store/sites-pools';
import { type LinkStyle, meetingLinks } from '../../topology/links';
import { findMeetingByIdentity, parseSipAddress, ScheduleError, scheduleMeeting } from '../../topology/scheduling';

/** Per client address: a calendar books a handful a minute; a loop or a key-guesser gets 429. */
export const SCHEDULE_RATE_LIMIT_PER_MINUTE = 60;
/** How long a scheduling write waits for another writer's lock (an admin purge) before its 503. */
export const SCHEDULE_LOCK_WAIT_MS = 10_000;
/** Retry-After (seconds) of that 503. */
export const SCHEDULE_BUSY_RETRY_AFTER_S = 5;
/**
 * Scheduling writes in flight per node: the rest wait in memory. On PostgreSQL each one holds a
 * pooled connection while it waits for the admin lock: unbounded, they would take every connection
 * and starve the key checks (reads) into 503s.
 */
export const SCHEDULE_CONCURRENT_WRITES = 2;

export interface ScheduleOptions {
  /** Default SCHEDULE_LOCK_WAIT_MS. */
  lockWaitMs?: number;
  /** How often keys' last uses are written (default API_KEY_USE_FLUSH_MS). */
  keyUseFlushMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The keys' last uses waiting to be written (flushed on a timer and on close). */
    apiKeyUse: ApiKeyUse;
  }
}

const newMeetingBody = v.strictObject({
  organizer: v.pipe(v.string(), v.maxLength(320)),
  subject: v.pipe(v.string(), v.maxLength(1000)),
  lobby: v.optional(v.boolean()),
});

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  if (status === 503) reply.header('retry-after', String(SCHEDULE_BUSY_RETRY_AFTER_S));
  return reply.code(status).header('cache-control', 'no-store').send({ code, message });
}

/** A refusal found inside the write transaction, answered after it was rolled back. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** At most `slots` holders at once; `enter` waits up to `waitMs` for a slot (false: none came). */
function writeGate(slots: number) {
  let free = slots;
  const waiting: ((entered: boolean) => void)[] = [];
  return {
    enter(waitMs: number): Promise<boolean> {
      if (free > 0) {
        free--;
        return Promise.resolve(true);
      }
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(admit), 1);
          resolve(false);
        }, waitMs);
        const admit = (entered: boolean) => {
          clearTimeout(timer);
          resolve(entered);
        };
        waiting.push(admit);
      });
    },
    leave() {
      const next = waiting.shift();
      if (next) next(true);
      else free++;
    },
  };
}

/** The pool hosts organizers of this SIP domain (read inside the transaction that writes). */
async function mustHostDomain(sql: Sql, pool: string, domain: string): Promise<void> {
  if (!(await sipDomainsOf(sql, pool)).includes(domain))
    throw new Refusal(403, 'organizer-not-on-pool', "This pool does not host the organizer's SIP domain.");
}

export function registerScheduleRoutes(
  app: FastifyInstance,
  store: Store,
  live: Live,
  links: () => LinkStyle,
  options: ScheduleOptions = {},
) {
  const limit = { rateLimit: { max: SCHEDULE_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };
  const { sql } = store;
  const uses = apiKeyUse(sql, {
    flushEveryMs: options.keyUseFlushMs,
    onFlushError: (error) =>
      app.log.warn({ code: (error as { code?: unknown }).code }, 'API key last-used times not written yet'),
  });
  app.decorate('apiKeyUse', uses);
  app.addHook('onClose', async () => uses.close());
  const lockWaitMs = options.lockWaitMs ?? SCHEDULE_LOCK_WAIT_MS;
  const gate = writeGate(SCHEDULE_CONCURRENT_WRITES);
  const busy = () => new Refusal(503, 'store-busy', 'The store is busy with maintenance: try again shortly.');
  /** The write, or a Refusal (503 store-busy) when another writer kept the lock past lockWaitMs. */
  const write = async <T>(work: (tx: Sql) => Promise<T>): Promise<T> => {
    const started = Date.now();
    if (!(await gate.enter(lockWaitMs))) throw busy();
    try {
      return await adminWrite(store, work, { maxWaitMs: Math.max(1, lockWaitMs - (Date.now() - started)) });
    } catch (error) {
      if (isBusy(error) || isLockTimeout(error)) throw busy();
      throw error;
    } finally {
      gate.leave();
    }
  };

  /** The key's pool, if the request carries a valid key for the pool this host serves. */
  async function keyPool(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const key = token ? await authenticateApiKey(sql, token) : undefined;
    if (!key) {
      reply.header('www-authenticate', 'Bearer');
      fail(reply, 401, 'api-key-invalid', 'A valid API key is needed: Authorization: Bearer <key>.');
      return undefined;
    }
    if (key.pool.toLowerCase() !== request.pool.fqdn.toLowerCase()) {
      fail(reply, 403, 'api-key-wrong-pool', 'This API key belongs to another pool.');
      return undefined;
    }
    uses.note(key.hash, Date.now());
    return request.pool.fqdn;
  }

  app.post(`${API_PREFIX}/schedule/meetings`, { config: limit }, async (request, reply) => {
    const pool = await keyPool(request, reply);
    if (!pool) return reply;
    const body = v.safeParse(newMeetingBody, request.body);
    if (!body.success) return fail(reply, 400, 'bad-request', 'The body must be {"organizer", "subject", "lobby"?}.');
    const sip = parseSipAddress(body.output.organizer);
    if (!sip)
      return fail(reply, 400, 'organizer-invalid', 'The organizer must be a SIP address such as alice@contoso.com.');
    try {
      const { meeting, phoneConferenceId } = await write(async (tx) => {
        await mustHostDomain(tx, pool, sip.domain);
        return scheduleMeeting(tx, { ...body.output, pool });
      });
      const answer = {
        ...(await meetingLinks(sql, meeting, links())),
        conferenceId: meeting.conferenceId,
        phoneConferenceId,
      };
      return reply.code(201).header('cache-control', 'no-store').send(answer);
    } catch (error) {
      if (error instanceof Refusal) return fail(reply, error.status, error.code, error.message);
      if (error instanceof ScheduleError) return fail(reply, 400, error.code, error.message);
      throw error;
    }
  });

  app.delete<{ Params: { organizer: string; conferenceId: string } }>(
    `${API_PREFIX}/schedule/meetings/:organizer/:conferenceId`,
    { config: limit },
    async (request, reply) => {
      const pool = await keyPool(request, reply);
      if (!pool) return reply;
      const { organizer, conferenceId } = request.params;
      let removed: Meeting;
      try {
        removed = await write(async (tx) => {
          const meeting = await findMeetingByIdentity(tx, `${organizer}/${conferenceId}`);
          const domain = meeting?.organizerUri.split('@')[1]?.toLowerCase() ?? '';
          if (
            !meeting ||
            meeting.pool.toLowerCase() !== pool.toLowerCase() ||
            !(await sipDomainsOf(tx, pool)).includes(domain)
          )
            throw new Refusal(404, 'meeting-not-found', 'There is no such meeting on this pool.');
          await deleteMeeting(tx, meeting.key);
          return meeting;
        });
      } catch (error) {
        if (error instanceof Refusal) return fail(reply, error.status, error.code, error.message);
        throw error;
      }
      await live.endMeeting(removed.key);
      return reply.code(204).send();
    },
  );
}
