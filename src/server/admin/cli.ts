/** `npm run admin -- <verb> ...`: the pool admin's CLI, on the same DATA_DIR as the server. */
import { settingsFromEnv } from '../settings';
import { IdentityError } from '../store/config-store';
import { CliUsageError, parseCommandLine } from './args';
import { runCommandAsync } from './commands';

async function main(argv: string[]): Promise<number> {
  try {
    const settings = settingsFromEnv();
    const lines = await runCommandAsync(
      parseCommandLine(argv),
      settings.dataDir,
      // Demo links use the port the demo server recorded, unless PORT says otherwise.
      process.env.PORT === undefined ? undefined : settings.port,
      settings.telemetryRetentionDays,
    );
    for (const line of lines) console.log(line);
    return 0;
  } catch (error) {
    console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof CliUsageError || error instanceof IdentityError ? 2 : 1;
  }
}

// `npm run admin -- meetings | head` closes the pipe early: that is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
