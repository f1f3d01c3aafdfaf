/** "Did you mean": the known name closest to what was typed, if it is close enough to be a typo. */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

export function nearest(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const candidate = name.toLowerCase();
    // A prefix (-Org for -Organizer) is as good as a typo of one letter.
    const d = candidate.startsWith(lower) && lower.length >= 3 ? 1 : distance(lower, candidate);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(lower.length / 3)) ? best.name : undefined;
}
