/**
 * Distinct device hashes over many slots: an open-addressing hash set in a Float64Array. A report
 * over 10 million events meets a million or more hashes; a JS Set or a sort of them costs several
 * times more (and the Set's garbage collection more still).
 */

/** The distinct values of the arrays (48-bit hashes, never negative). */
export function distinct(parts: readonly Float64Array[]): Float64Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  let size = 16;
  while (size < total * 2) size *= 2;
  const mask = size - 1;
  // -1 marks an empty cell: no hash is negative.
  const table = new Float64Array(size).fill(-1);
  const out = new Float64Array(total);
  let count = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const value = part[i] as number;
      // The hashes are uniformly random, so their low 32 bits spread well over the table.
      let cell = (value >>> 0) & mask;
      for (;;) {
        const held = table[cell] as number;
        if (held === -1) {
          table[cell] = value;
          out[count++] = value;
          break;
        }
        if (held === value) break;
        cell = (cell + 1) & mask;
      }
    }
  }
  return out.subarray(0, count);
}
