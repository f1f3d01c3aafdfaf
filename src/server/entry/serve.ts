/**
 * `npm run serve`: the production pool web service, run from the build (`npm run build`). It never
 * seeds demo data and never builds; on first start it makes an empty store (DATA_DIR's SQLite
 * file, or the PostgreSQL at DATABASE_URL, migrated on every start). HTTPS with
 * TLS_CERT_FILE + TLS_KEY_FILE, or behind a proxy named by TRUST_PROXY; metrics on METRICS_PORT.
 * SIGTERM drains: /readyz turns 503, no new connections, open event streams are told to reconnect,
 * the ingest's pending commit is finished, the store is closed, and the process exits within 10 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import type tls from 'node:tls';
import { buildApp } from '../http/app';
import { DRAIN_DEADLINE_MS, trackConnections } from '../http/drain';
import { createMetrics } from '../http/metrics';
import { listenMetrics } from '../http/metrics-server';
import { reloadCertificatesOnChange } from '../http/tls-reload';
import { engineOf } from '../sql/engine';
import { storeExists } from '../sql/sqlite-db';
import { openStore, storeWhere } from '../sql/store';
import { markStoreKind } from '../store/meta';
import { listPools } from '../topology/topology';
import { buildInfo } from './build-info';
import { serviceOptions, startBackgroundJobs } from './service';
import { type Settings, settingsFromEnv } from './settings';

const CUT_CONNECTIONS_AFTER_MS = 8_000;

function readTls(settings: Settings) {
  if (!settings.tls) return undefined;
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(settings.tls.certFile, 'certificate'), key: read(settings.tls.keyFile, 'key') };
}

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  if (!fs.existsSync(path.join(settings.distDir, 'index.html')))
    throw new Error(`no built client in ${settings.distDir}: run "npm run build" first`);
  const tls = readTls(settings);
  const fileExisted = settings.databaseUrl !== undefined || storeExists(settings.dataDir);
  const store = await openStore({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
  // A SQLite file made before its kind was recorded is an older demo store: left as it is.
  const created = await engineOf(store).madeNow(fileExisted);
  if (created) await markStoreKind(store.sql, 'production');
  const metrics = createMetrics({ nodeName: settings.nodeName });
  const app = await buildApp({
    ...(await serviceOptions(store, settings)),
    tls,
    links: () => ({ kind: 'https' }),
    metrics,
  });
  const stopJobs = startBackgroundJobs(store, app, settings);
  const connections = trackConnections(app.server);
  await app.listen({ port: settings.port, host: settings.host });
  const stopTlsReload = reloadCertificatesOnChange(app.server as unknown as tls.Server, settings.tls, app.log);
  const port = (app.server.address() as { port: number }).port;
  const metricsServer = settings.metrics
    ? await listenMetrics(metrics, settings.metrics.port, settings.metrics.host)
    : undefined;
  const scheme = tls ? 'https' : 'http';
  const proxy = settings.trustProxy.length ? `, behind proxies ${settings.trustProxy.join(', ')}` : '';
  const metricsAt = metricsServer
    ? `, metrics on http://${settings.metrics?.host}:${(metricsServer.address() as { port: number }).port}/metrics`
    : '';
  // JSON like every other line of the log (the same logger), so a collector reads them all alike.
  const build = buildInfo();
  app.log.info(
    {
      event: 'start',
      version: build.version,
      commit: build.commit,
      nodeVersion: build.node,
      url: `${scheme}://${settings.host}:${port}`,
      created,
    },
    `meet-launcher pool web service on ${scheme}://${settings.host}:${port} (node ${settings.nodeName}, data in ${storeWhere(store)}${created ? ', new empty store' : ''}${proxy}${metricsAt})`,
  );
  if ((await listPools(store.sql)).length === 0)
    app.log.warn('No pools yet: add a site and a pool with "meet-launcher new-site / new-pool" (see the README).');

  let draining = false;
  const drain = async (signal: string) => {
    if (draining) return;
    draining = true;
    const started = Date.now();
    app.lifecycle.accepting = false;
    setTimeout(() => {
      app.log.error(
        { event: 'stop', signal },
        `meet-launcher: not drained ${DRAIN_DEADLINE_MS / 1000} s after ${signal}; exiting`,
      );
      process.exit(1);
    }, DRAIN_DEADLINE_MS).unref();
    setTimeout(() => connections.cutAll(), CUT_CONNECTIONS_AFTER_MS).unref();
    stopJobs();
    stopTlsReload();
    metricsServer?.close();
    // close() ends the event streams first (preClose), then waits for the listener; the HTTP/2
    // sessions are asked to finish meanwhile, or they would hold it until the deadline.
    const closing = app.close();
    connections.closeSessions();
    await closing;
    await store.close();
    const ms = Date.now() - started;
    app.log.info({ event: 'stop', signal, ms }, `meet-launcher stopped on ${signal} in ${ms} ms`);
    process.exit(0);
  };
  // `on`, not `once`: a second signal during the drain (a supervisor repeating itself) must not
  // kill the process with the default action before the store is closed.
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`meet-launcher could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
