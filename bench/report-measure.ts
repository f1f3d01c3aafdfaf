/**
 * Child process of bench/report.ts: opens the filled store the way `npm run admin -- report`
 * does and times each form over the last 30 days, printing one JSON line of milliseconds.
 * A fresh process, so nothing the load left in this process's memory helps the report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteSql } from '../src/server/sql/sqlite';
import { openDatabase } from '../src/server/sql/sqlite-db';
import { runReport } from '../src/server/telemetry/report';
import type { ReportOptions } from '../src/server/telemetry/report/options';

const dataDir = process.argv[2] as string;
const now = Number(process.argv[3]);
const htmlFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-bench-html-')), 'report.html');
const forms: [string, ReportOptions][] = [
  ['text', { days: 30, utc: false, form: 'text' }],
  ['json', { days: 30, utc: false, form: 'json' }],
  ['csv', { days: 30, utc: false, form: 'csv' }],
  ['html', { days: 30, utc: false, form: 'html', htmlFile }],
];
const timings: Record<string, number> = {};
let bytes = 0;
for (const [name, options] of forms) {
  const started = performance.now();
  // Opening the store is part of answering: the CLI opens it on every run.
  const db = openDatabase(dataDir);
  const lines = await runReport(sqliteSql(db), options, undefined, { now, timeZone: 'Europe/Paris' });
  db.close();
  timings[name] = performance.now() - started;
  if (name === 'html') bytes = fs.statSync(htmlFile).size;
  else if (lines.join('\n').length === 0) throw new Error(`report --${name} printed nothing`);
}
fs.rmSync(path.dirname(htmlFile), { recursive: true, force: true });
console.log(JSON.stringify({ timings, htmlBytes: bytes }));
