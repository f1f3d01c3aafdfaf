/**
 * Writes a Brotli (.br, quality 11) and a gzip (.gz, by Zopfli) copy beside each JS, CSS and SVG
 * file of the build, so the server sends the smallest form without compressing on every request
 * (`preCompressed` in src/server/http/routes/pages.ts). Small files and copies that would not be smaller
 * are skipped. Zopfli writes ordinary gzip that every client reads, about 3% smaller than zlib's
 * level 9: on the launcher's entry that is some 340 bytes of the first TCP window, for a build
 * step of a second or two.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(?:js|css|svg)$/;
const MIN_BYTES = 512;

export async function compressedCopies(source: Buffer): Promise<{ br?: Buffer; gz?: Buffer }> {
  if (source.length < MIN_BYTES) return {};
  const br = brotliCompressSync(source, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length },
  });
  const gz = Buffer.from(await gzipAsync(source, { numiterations: 15 }));
  return { ...(br.length < source.length && { br }), ...(gz.length < source.length && { gz }) };
}

export function precompress(): Plugin {
  return {
    name: 'meet-launcher:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const file = path.join(outDir, fileName);
        const copies = await compressedCopies(fs.readFileSync(file));
        if (copies.br) fs.writeFileSync(`${file}.br`, copies.br);
        if (copies.gz) fs.writeFileSync(`${file}.gz`, copies.gz);
      }
    },
  };
}
