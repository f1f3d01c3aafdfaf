/**
 * Writes a Brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside each JS, CSS and SVG
 * file of the build, so the server sends the smallest form without compressing on every request
 * (`preCompressed` in src/server/routes/pages.ts). Small files and copies that would not be smaller
 * are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(?:js|css|svg)$/;
const MIN_BYTES = 512;

export function compressedCopies(source: Buffer): { br?: Buffer; gz?: Buffer } {
  if (source.length < MIN_BYTES) return {};
  const br = brotliCompressSync(source, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length },
  });
  const gz = gzipSync(source, { level: 9 });
  return { ...(br.length < source.length && { br }), ...(gz.length < source.length && { gz }) };
}

export function precompress(): Plugin {
  return {
    name: 'meet-launcher:precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const file = path.join(outDir, fileName);
        const copies = compressedCopies(fs.readFileSync(file));
        if (copies.br) fs.writeFileSync(`${file}.br`, copies.br);
        if (copies.gz) fs.writeFileSync(`${file}.gz`, copies.gz);
      }
    },
  };
}
