/**
 * `npm run admin -- <verb> ...`: the pool admin's CLI, on the same store as the server: DATA_DIR's
 * SQLite file, or the PostgreSQL at DATABASE_URL when set.
 */
import { settingsFromEnv } from '../entry/settings';
import { isStoreUnavailable } from '../sql/unavailable';
import { IdentityError } from '../store/config-store';
import { CliUsageError, parseCommandLine } from './args';
import { runCommandOutput } from './commands';

async function main(argv: string[]): Promise<number> {
  try {
    const settings = settingsFromEnv();
    const { stdout, notices } = await runCommandOutput(
      parseCommandLine(argv),
      { dataDir: settings.dataDir, databaseUrl: settings.databaseUrl },
      {
        // Demo links use the port the demo server recorded, unless PORT says otherwise.
        port: process.env.PORT === undefined ? undefined : settings.port,
        retentionDays: settings.telemetryRetentionDays,
      },
    );
    for (const line of stdout) console.log(line);
    // What each pool now gets: on stderr, so that --Json output stays clean; the write succeeded.
    for (const line of notices) console.error(line);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A connection lost in the middle of a verb: the driver's words alone do not say it was the store.
    const lost = isStoreUnavailable(error) && !/^cannot reach/.test(message);
    console.error(`admin: ${lost ? `the store cannot be reached: ${message}` : message}`);
    return error instanceof CliUsageError || error instanceof IdentityError ? 2 : 1;
  }
}

// `npm run admin -- meetings | head` closes the pipe early: that is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
