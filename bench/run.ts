/** `npm run bench`: builds, runs each bench, prints figures against budgets, fails past one. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as bundleSize from './bundle-size';
import { type Figure, withinBudget } from './figure';
import * as ingest from './ingest';
import * as joinLatency from './join-latency';
import * as lighthouse from './lighthouse';
import * as mediaLatency from './media-latency';

const BENCHES: { name: string; run: () => Promise<Figure[]> }[] = [
  { name: 'bundle size', run: bundleSize.run },
  { name: 'lighthouse (launcher)', run: lighthouse.run },
  { name: 'join latency', run: joinLatency.run },
  { name: 'media latency', run: mediaLatency.run },
  { name: 'telemetry ingest', run: ingest.run },
];

function describeBudget(figure: Figure): string {
  const { atMost, atLeast } = figure.budget ?? {};
  if (atMost !== undefined) return `<= ${atMost} ${figure.unit}`;
  if (atLeast !== undefined) return `>= ${atLeast} ${figure.unit}`;
  return '(no budget)';
}

async function main(): Promise<number> {
  execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  let failures = 0;
  for (const bench of BENCHES) {
    console.log(`\n${bench.name}`);
    for (const figure of await bench.run()) {
      const ok = withinBudget(figure);
      if (!ok) failures++;
      const note = figure.note ? `  (${figure.note})` : '';
      console.log(
        `  ${ok ? 'ok  ' : 'FAIL'} ${figure.name}: ${figure.value} ${figure.unit}  budget ${describeBudget(figure)}${note}`,
      );
    }
  }
  console.log(failures ? `\n${failures} figure(s) past budget` : '\nall figures within budget');
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
