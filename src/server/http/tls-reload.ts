/**
 * Renewed certificates without a restart: on SIGHUP, and when TLS_CERT_FILE or TLS_KEY_FILE
 * changes on disk (polled with stat, which follows symlinks and renames, as certbot's live/ links
 * and most renewal tools replace files), the files are read again and handed to the listening
 * server (`setSecureContext`). Only new TLS connections use them; open connections, HTTP/2
 * sessions and event streams go on untouched. A pair that does not load (a half-written renewal,
 * a key that does not match) is logged and ignored: the server keeps the pair it has, and the
 * next change or SIGHUP tries again.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

interface Log {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ReloadOptions {
  /** How often the files are checked (stat). */
  pollMs?: number;
  /** A renewal writes two files: wait this long after a change for the other one. */
  settleMs?: number;
  /** Told of every attempt (tests await it). */
  onReload?: (outcome: { ok: boolean; reason: string }) => void;
}

export const TLS_POLL_MS = 10_000;
const TLS_SETTLE_MS = 1_000;

/** Starts watching; returns the function that stops it (called by the drain). */
export function reloadCertificatesOnChange(
  server: tls.Server,
  files: TlsFiles | undefined,
  log: Log,
  options: ReloadOptions = {},
): () => void {
  if (!files) {
    // SIGHUP's default action ends the process: behind a proxy there is nothing to reload, and a
    // `systemctl reload` must not become a stop.
    const ignore = () => log.info({ event: 'tls-reload', reason: 'SIGHUP' }, 'SIGHUP: no TLS files to reload');
    process.on('SIGHUP', ignore);
    return () => process.off('SIGHUP', ignore);
  }
  const pollMs = options.pollMs ?? TLS_POLL_MS;
  const settleMs = options.settleMs ?? TLS_SETTLE_MS;
  let timer: NodeJS.Timeout | undefined;

  const reload = (reason: string) => {
    try {
      const cert = fs.readFileSync(files.certFile);
      const key = fs.readFileSync(files.keyFile);
      // Throws on a bad PEM or a key that does not match the certificate, before the server sees it.
      tls.createSecureContext({ cert, key });
      server.setSecureContext({ cert, key });
      const { validTo, fingerprint256 } = new X509Certificate(cert);
      log.info(
        { event: 'tls-reload', reason, validTo, fingerprint256 },
        `TLS certificate reloaded (${reason}), valid to ${validTo}`,
      );
      options.onReload?.({ ok: true, reason });
    } catch (error) {
      log.error(
        { event: 'tls-reload', reason, err: error },
        `TLS certificate not reloaded (${reason}): ${(error as Error).message}; keeping the one in use`,
      );
      options.onReload?.({ ok: false, reason });
    }
  };
  const soon = (reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => reload(reason), settleMs);
  };
  const onChange = (current: fs.Stats, previous: fs.Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino || current.size !== previous.size)
      soon('files changed');
  };
  const onHangup = () => reload('SIGHUP');

  for (const file of [files.certFile, files.keyFile])
    fs.watchFile(file, { interval: pollMs, persistent: false }, onChange);
  process.on('SIGHUP', onHangup);
  return () => {
    clearTimeout(timer);
    for (const file of [files.certFile, files.keyFile]) fs.unwatchFile(file, onChange);
    process.off('SIGHUP', onHangup);
  };
}
