/**
 * `npm start`: builds the client if dist/ is missing or stale, seeds the demo into an empty store
 * (DATA_DIR's SQLite file, or the PostgreSQL at DATABASE_URL), serves the pools.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoIfEmpty } from '../demo/seed';
import { buildApp } from '../http/app';
import { openStore, storeWhere } from '../sql/store';
import { listMeetings } from '../store/meetings';
import { recordDemoPort } from '../store/meta';
import { meetingLinks } from '../topology/links';
import { serviceOptions, startBackgroundJobs } from './service';
import { settingsFromEnv } from './settings';

const CLIENT_SOURCES = ['index.html', 'src/client', 'src/shared', 'src/sw', 'public', 'vite.config.ts', 'package.json'];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function buildClientIfStale(distDir: string): void {
  const built = newestMtime(path.join(distDir, 'index.html'));
  if (built > 0 && built >= Math.max(...CLIENT_SOURCES.map(newestMtime))) return;
  console.log(built ? 'Client sources changed: rebuilding dist/ ...' : 'Building the client into dist/ ...');
  execFileSync(
    process.execPath,
    [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', distDir],
    {
      stdio: 'inherit',
    },
  );
}

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  buildClientIfStale(settings.distDir);
  const store = await openStore({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
  const seeded = await seedDemoIfEmpty(store.sql);
  const app = await buildApp(await serviceOptions(store, settings));
  const stopJobs = startBackgroundJobs(store, app, settings);
  await app.listen({ port: settings.port, host: settings.host });
  const port = (app.server.address() as { port: number }).port;
  // So that `npm run admin -- meetings` prints links to this port without being told PORT again.
  await recordDemoPort(store.sql, port);
  console.log(
    `meet-launcher pool web service on http://${settings.host}:${port} (node ${settings.nodeName}, data in ${storeWhere(store)}${seeded ? ', demo seeded' : ''})`,
  );
  console.log('Demo meetings (guest link, then organizer link):');
  for (const meeting of await listMeetings(store.sql)) {
    const { guestLink, organizerLink } = await meetingLinks(store.sql, meeting, { kind: 'http', port });
    console.log(`  ${meeting.subject.padEnd(20)} ${guestLink}\n  ${''.padEnd(20)} ${organizerLink}`);
  }
  console.log('Hosts other than localhost/127.0.0.1 need a hosts entry or --host-resolver-rules in Chromium.');
  const stop = async () => {
    stopJobs();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`meet-launcher could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
