/**
 * A PostgreSQL store is backed up with PostgreSQL's own tools. These are the lines to run, with the
 * user, host, port and database of DATABASE_URL; never its password (PGPASSWORD or ~/.pgpass).
 */

/** Single-quotes a shell word unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface PostgresTarget {
  user: string;
  host: string;
  port: string;
  database: string;
}

export function postgresTarget(databaseUrl: string): PostgresTarget {
  const url = new URL(databaseUrl);
  return {
    user: decodeURIComponent(url.username) || 'postgres',
    // A socket folder given as ?host=/run/postgresql wins over the URL's host, as in libpq.
    host: url.searchParams.get('host') ?? (decodeURIComponent(url.hostname) || 'localhost'),
    port: url.port || '5432',
    database: decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres',
  };
}

/** The pg_dump and pg_restore lines for the store at `databaseUrl`, the dump going to `file`. */
export function pgDumpCommands(databaseUrl: string, file: string): { dump: string; restore: string } {
  const { user, host, port, database } = postgresTarget(databaseUrl);
  const connection = `--host=${shellWord(host)} --port=${port} --username=${shellWord(user)}`;
  return {
    dump: `(umask 077 && pg_dump ${connection} --format=custom --file=${shellWord(file)} ${shellWord(database)})`,
    restore: `pg_restore ${connection} --dbname=${shellWord(database)} --no-owner --exit-on-error ${shellWord(file)}`,
  };
}

export function postgresBackupLines(databaseUrl: string, file: string): string {
  const { dump, restore } = pgDumpCommands(databaseUrl, file);
  return [
    'The store is in PostgreSQL: back it up and restore it with its own tools (give the password with PGPASSWORD or ~/.pgpass).',
    `  backup:  ${dump}`,
    `  restore: ${restore}   (into a new, empty database owned by the service's role; then start the nodes)`,
  ].join('\n');
}
