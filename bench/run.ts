/** `npm run bench`: builds, runs each bench, prints figures against budgets, fails past one. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as abuse from './abuse';
import * as bundleSize from './bundle-size';
import * as crossNodeChat from './cross-node-chat';
import { DeadlinePassed, withDeadline } from './deadline';
import { type Figure, withinBudget } from './figure';
import * as ingest from './ingest';
import * as joinLatency from './join-latency';
import * as lighthouse from './lighthouse';
import * as mediaLatency from './media-latency';
import * as report from './report';

/** Each bench has a deadline: one that hangs (a dropped click, a server that never answers) fails loudly. */
const BENCHES: { name: string; run: () => Promise<Figure[]>; deadlineSeconds: number }[] = [
  { name: 'bundle size', run: bundleSize.run, deadlineSeconds: 60 },
  { name: 'lighthouse (launcher)', run: lighthouse.run, deadlineSeconds: 420 },
  { name: 'join latency', run: joinLatency.run, deadlineSeconds: 180 },
  { name: 'media latency', run: mediaLatency.run, deadlineSeconds: 300 },
  { name: 'telemetry ingest', run: ingest.run, deadlineSeconds: 240 },
  { name: 'ingest abuse (one flooding address)', run: abuse.run, deadlineSeconds: 120 },
  // The same against the TLS server, as `npm run serve` runs with TLS_CERT_FILE: flood and lookups over HTTP/2.
  { name: 'ingest abuse over TLS (one flooding address)', run: abuse.runTls, deadlineSeconds: 150 },
  // Two nodes on a throwaway PostgreSQL behind HAProxy, the built server (dist-server/).
  { name: 'cross-node chat', run: crossNodeChat.run, deadlineSeconds: 180 },
  // Fills a store with 10 million events first (about 4 minutes here).
  { name: 'telemetry report', run: report.run, deadlineSeconds: 720 },
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
  // The many-node bench runs the production server build, as `npm run serve` does.
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
  let failures = 0;
  // `BENCH_ONLY=ingest,abuse` runs the benches whose names contain one of those words.
  const only = process.env.BENCH_ONLY?.split(',')
    .map((word) => word.trim())
    .filter(Boolean);
  for (const bench of BENCHES) {
    if (only && !only.some((word) => bench.name.includes(word))) continue;
    console.log(`\n${bench.name}`);
    let figures: Figure[];
    try {
      figures = await withDeadline(bench.run(), bench.deadlineSeconds, bench.name);
    } catch (error) {
      // A bench that hangs or throws is a failure, printed where its figures would be; the rest run.
      failures++;
      console.log(`  FAIL ${error instanceof Error ? error.message : String(error)}`);
      if (!(error instanceof DeadlinePassed) && error instanceof Error && error.stack) console.error(error.stack);
      continue;
    }
    for (const figure of figures) {
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
