/**
 * A minimal Fastify app with nothing but the real telemetry route (http/routes/telemetry.ts) over a
 * store: the pool context that the full app reads from the topology and configuration is fixed
 * here (one pool, telemetry on). Tests and benches that need the ingest on PostgreSQL before the
 * full app runs on it use this; everything the route does after the pool is known is the real code.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerTelemetryRoutes } from '../../src/server/http/routes/telemetry';
import type { Store } from '../../src/server/sql/store';
import type { StoredDocument } from '../../src/server/store/config-store';
import type { Ingest } from '../../src/server/telemetry/ingest';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../../src/server/telemetry/ingest-limits';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';

export const TELEMETRY_APP_POOL = 'pool01.contoso.com';

export interface TelemetryAppOptions {
  store: Store;
  secret: Buffer;
  /** TelemetryMaxEventsPerDay of the pool (default: the product's). */
  maxEventsPerDay?: number;
  limits?: Partial<IngestLimits>;
  /** The ingest's arrival clock (default: the node's on SQLite, the database's on PostgreSQL). */
  now?: () => number;
}

export function buildTelemetryApp(options: TelemetryAppOptions): { app: FastifyInstance; ingest: Ingest } {
  const app = Fastify({ logger: false });
  const config: StoredDocument = {
    Identity: 'Global',
    ...PRODUCT_DEFAULTS,
    MeetingUxEnableTelemetry: true,
    ...(options.maxEventsPerDay === undefined ? {} : { TelemetryMaxEventsPerDay: options.maxEventsPerDay }),
  };
  app.decorateRequest('pool', null as never);
  app.decorateRequest('poolConfig', null as never);
  app.addHook('onRequest', async (request) => {
    request.pool = { fqdn: TELEMETRY_APP_POOL, site: 'Redmond' };
    request.poolConfig = config;
  });
  const ingest = registerTelemetryRoutes(
    app,
    options.store,
    options.secret,
    {
      ...DEFAULT_INGEST_LIMITS,
      ...options.limits,
    },
    { now: options.now },
  );
  return { app, ingest };
}
