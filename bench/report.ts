/**
 * `report` over 30 days of 10 million stored events: budget <= 2 s for each form (text, JSON, CSV,
 * HTML), store opened included, measured in a fresh process. The store is filled first (about
 * 1-3 minutes on a 2-core machine; BENCH_REPORT_EVENTS changes the count for a quick look).
 *
 * Hard deadlines, so a slow report cannot stall CI: filling past 8 minutes, or a measuring process
 * that has not answered in 60 s, throws (the bench run stops with the error and exits non-zero).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedDemoIfEmpty } from '../src/server/demo/seed';
import { openDatabase } from '../src/server/sql/sqlite-db';
import { sqliteStore } from '../src/server/sql/store';
import type { Figure } from './figure';
import { fillStore } from './report-data';

const execFileAsync = promisify(execFile);
const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 10_000_000);
const BUDGET_MS = 2000;
const FILL_DEADLINE_MS = 8 * 60_000;
const MEASURE_DEADLINE_MS = 60_000;

export async function run(): Promise<Figure[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-report-bench-'));
  try {
    const now = Date.now();
    const db = openDatabase(dataDir);
    await seedDemoIfEmpty(sqliteStore(db, dataDir).sql);
    const filled = await fillStore(db, {
      events: EVENTS,
      days: 30,
      now,
      rollUpInline: true,
      deadline: performance.now() + FILL_DEADLINE_MS,
    });
    db.close();

    let stdout: string;
    try {
      ({ stdout } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', path.resolve('bench/report-measure.ts'), dataDir, String(now)],
        { timeout: MEASURE_DEADLINE_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      ));
    } catch (error) {
      const failed = error as { killed?: boolean; stderr?: string };
      if (failed.killed)
        throw new Error(
          `report bench: the report did not answer within ${MEASURE_DEADLINE_MS / 1000} s and was killed`,
        );
      throw new Error(`report bench: the measuring process failed: ${failed.stderr ?? String(error)}`);
    }
    const { timings, htmlBytes } = JSON.parse(stdout.trim().split('\n').pop() as string) as {
      timings: Record<string, number>;
      htmlBytes: number;
    };
    const dbBytes = fs.statSync(path.join(dataDir, 'meet-launcher.sqlite')).size;
    const note = `${(filled.events / 1e6).toFixed(1)} M events, 30 days, Europe/Paris`;
    return [
      ...Object.entries(timings).map(([form, ms]) => ({
        name: `report ${form === 'text' ? '' : `--${form[0]?.toUpperCase()}${form.slice(1)} `}over 30 days`,
        value: Math.round(ms),
        unit: 'ms',
        budget: { atMost: BUDGET_MS },
        note,
      })),
      { name: 'HTML report size', value: Math.round(htmlBytes / 1024), unit: 'KB' },
      {
        name: 'filling the store (bulk insert with roll-ups, index build)',
        value: Math.round((filled.loadMs + filled.indexMs) / 1000),
        unit: 's',
        note: `${(dbBytes / 2 ** 30).toFixed(2)} GiB`,
      },
      {
        name: 'roll-up of the last hour (the server rolls up each minute)',
        value: Math.round(filled.rollUpMs),
        unit: 'ms',
        note: `${filled.rolledUpEvents} events`,
      },
    ];
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
