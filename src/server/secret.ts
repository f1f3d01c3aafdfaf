/** The server secret that keys the HMAC of every UserID: made once, kept in DATA_DIR, mode 0600. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'telemetry-hmac.key');
  try {
    const existing = fs.readFileSync(file);
    if (existing.length >= 32) return existing;
    throw new Error(`${file} is shorter than 32 bytes; remove it to make a new secret`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  // 'wx' fails if another process made the file first; then use theirs.
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file);
    throw error;
  }
}
