/**
 * The server secret that keys the HMAC of every UserID: 32 random bytes, one for the whole pool
 * service, so every node hashes a UserID the same way.
 * - Embedded store (SQLite): the file `telemetry-hmac.key` in DATA_DIR, mode 0600, made on first start.
 * - PostgreSQL: the row of `telemetry_secret`, made by whichever node starts first (an insert that
 *   does nothing when another node's is there; both then read the one that won). The ingest reads
 *   it again in every commit, so a rotation reaches every node at its next commit.
 * Rotating makes a new secret: UserIDs stored afterwards hash differently, so they can no longer be
 * linked to the hashes stored before (the old ones stay until retention deletes them).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';

export const SECRET_FILE = 'telemetry-hmac.key';
const SECRET_BYTES = 32;

function checked(secret: Buffer, where: string): Buffer {
  if (secret.length >= SECRET_BYTES) return secret;
  throw new Error(`${where} is shorter than ${SECRET_BYTES} bytes; remove it to make a new secret`);
}

export function loadOrCreateSecretFile(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  try {
    return checked(fs.readFileSync(file), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(SECRET_BYTES);
  // 'wx' fails if another process made the file first; then use theirs.
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return checked(fs.readFileSync(file), file);
    throw error;
  }
}

const SELECT_SECRET = 'SELECT secret FROM telemetry_secret WHERE id = 1';

export async function loadOrCreateSecretRow(store: Store): Promise<Buffer> {
  const where = 'the telemetry_secret row';
  const existing = await store.sql.get<{ secret: Buffer }>(SELECT_SECRET);
  if (existing) return checked(existing.secret, where);
  await store.sql.run('INSERT INTO telemetry_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING', [
    randomBytes(SECRET_BYTES),
  ]);
  const row = await store.sql.get<{ secret: Buffer }>(SELECT_SECRET);
  if (!row) throw new Error('the telemetry secret could not be stored');
  return checked(row.secret, where);
}

/**
 * The pool service's secret, made if there is none yet. Given a DATA_DIR (the embedded store's
 * folder) it is the file there, read synchronously; given a store, the store's own place.
 */
export function loadOrCreateSecret(dataDir: string): Buffer;
export function loadOrCreateSecret(store: Store): Promise<Buffer>;
export function loadOrCreateSecret(where: string | Store): Buffer | Promise<Buffer> {
  if (typeof where === 'string') return loadOrCreateSecretFile(where);
  return engineOf(where).secret.loadOrCreate();
}

/**
 * Replaces the secret with a new random one and returns it. On PostgreSQL every node hashes with
 * it from its next commit; the embedded server reads its file at start, so restart it.
 */
export function rotateSecret(store: Store): Promise<Buffer> {
  return engineOf(store).secret.rotate();
}

/** PostgreSQL: the shared row, replaced. */
export async function rotateSecretRow(store: Store): Promise<Buffer> {
  const secret = randomBytes(SECRET_BYTES);
  await store.sql.run(
    `INSERT INTO telemetry_secret (id, secret) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, created_at = now()`,
    [secret],
  );
  return secret;
}

/** The embedded store: DATA_DIR's file, replaced. */
export function rotateSecretFile(dataDir: string): Buffer {
  const secret = randomBytes(SECRET_BYTES);
  // A new file renamed over the old one: a reader sees the old secret or the new, never half.
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SECRET_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, secret);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  return secret;
}
