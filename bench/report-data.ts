/**
 * Fills a store with N telemetry events over the last D days, shaped like real page sessions: a
 * census, join attempt and success, minutes, IMs, five web-vitals and now and then an error, from a
 * fixed population of devices, busier in working hours. Most events arrive seconds after they
 * happen; some arrive hours late (offline), a few from devices whose clocks are years off.
 *
 * Rows go straight into `telemetry_events` (the ingest's own columns and JSON), as fast as SQLite
 * takes them: the secondary indexes are dropped for the load and built again after it, with the
 * schema's own statements. With `rollUpInline`, the roll-ups the server's minute job would have
 * stored are built while loading (the roll-up's own functions; test/integration/report-store.test.ts checks
 * they equal a real roll-up), except for the last hour, which the real roll-up then does, timed.
 */

import { sqliteSql } from '../src/server/sql/sqlite';
import type { Db } from '../src/server/sql/sqlite-db';
import {
  type Aggregate,
  addEvent,
  deviceHash,
  encodeAggregate,
  encodeDevices,
  type Meetings,
} from '../src/server/telemetry/report/aggregate';
import { eventTime, slotOf } from '../src/server/telemetry/report/buckets';
import { rollUpTelemetry } from '../src/server/telemetry/report/rollup';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POOLS = [
  { fqdn: 'pool01.contoso.com', share: 0.7 },
  { fqdn: 'pool02.fabrikam.com', share: 0.3 },
];
const PARTNERS = ['contoso.com', 'contoso.com', 'contoso.com', 'fabrikam.com', 'northwind.example', 'adatum.example'];
const OSES: [string, string, string][] = [
  ['Windows', '10.0', 'Desktop'],
  ['Windows', '10.0', 'Desktop'],
  ['macOS', '14.5', 'Desktop'],
  ['Android', '14', 'Pixel 8'],
  ['iOS', '17.5', 'iPhone'],
  ['iOS', '17.5', 'iPad'],
  ['Linux', '', 'Desktop'],
];
const LANGUAGES = ['en-US', 'en-US', 'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'ar-SA'];
const ERRORS = [
  'stream:dropped',
  'join:meeting-full',
  'chat:chat-rate-limited',
  'uncaught-error',
  'lookup:meeting-ended',
];

/** A small fast PRNG (mulberry32): the same data on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Generated {
  events: number;
  loadMs: number;
  indexMs: number;
  rollUpMs: number;
  /** Events the timed real roll-up went through. */
  rolledUpEvents: number;
}

export async function fillStore(
  db: Db,
  options: {
    events: number;
    days: number;
    now: number;
    devices?: number;
    /** performance.now() limit */
    deadline?: number;
    /** Roll up while loading, with the roll-up's own functions, all but the last hour. */
    rollUpInline?: boolean;
  },
): Promise<Generated> {
  const checkDeadline = (stage: string) => {
    if (options.deadline !== undefined && performance.now() > options.deadline)
      throw new Error(`report bench: filling the store passed its deadline while ${stage}`);
  };
  const rnd = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const deviceCount = options.devices ?? Math.max(10, Math.round(options.events / 150));
  const meetingsPerDay = Math.max(1, Math.round(options.events / options.days / 60));
  const devices = Array.from({ length: deviceCount }, (_, i) => {
    const hex = (i * 2654435761 + 12345).toString(16).padStart(12, '0').slice(-12);
    return {
      id: `3f1c2b9a-7d4e-4c1b-9a2f-${hex}`,
      pool: rnd() < (POOLS[0]?.share ?? 1) ? 0 : 1,
      os: pick(OSES),
      language: pick(LANGUAGES),
    };
  });
  const indexes = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry_events' AND sql IS NOT NULL")
    .all() as { sql: string }[];
  // A throwaway store: no journal and no fsync while loading (the real settings come back after).
  // (SQLite leaves WAL only for a rollback journal: WAL -> DELETE -> OFF.)
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  const rolledUpTo = options.rollUpInline ? options.now - HOUR : 0;
  const slots = new Map<string, { aggregate: Aggregate; devices: Set<string>; meetings: Meetings }>();
  const insert = db.prepare(
    'INSERT INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let serial = 0;
  let stored = 0;
  const started = performance.now();
  const load = db.transaction((limit: number) => {
    while (stored < limit) {
      const device = devices[Math.floor(rnd() * devices.length)] as (typeof devices)[number];
      const pool = POOLS[device.pool]?.fqdn as string;
      // Busier in working hours (UTC 7-18), quieter at night and at weekends.
      const day = Math.floor(rnd() * options.days);
      const hour = rnd() < 0.8 ? 7 + rnd() * 11 : rnd() * 24;
      const start = options.now - (day + 1) * DAY + hour * HOUR;
      const lateBy = rnd() < 0.02 ? rnd() * 20 * HOUR : rnd() * 15_000;
      const clockOff = rnd() < 0.001 ? (rnd() < 0.5 ? -1 : 1) * 400 * DAY : 0;
      const partner = pick(PARTNERS);
      // Meetings of a day, about four sessions each (a session is about 15 events): the partners are
      // counted by distinct meetings.
      const thread = `19:meeting_bench${day}_${Math.floor(rnd() * meetingsPerDay).toString(36)}@thread.v2`;
      const emit = (
        type: string,
        metric: string | null,
        value: number | null,
        offset: number,
        fields: string,
        a: string | null = null,
        b: string | null = null,
        c: string | null = null,
      ) => {
        if (stored >= limit) return;
        const id = `bench${(serial++).toString(36).padStart(8, '0')}`;
        const ts = Math.round(start + offset + clockOff);
        const receivedAt = Math.min(options.now, Math.round(start + offset + lateBy));
        if (receivedAt < rolledUpTo) {
          const key = `${pool}\u0000${slotOf(eventTime(ts, receivedAt))}`;
          let slot = slots.get(key);
          if (!slot) {
            slot = { aggregate: new Map(), devices: new Set(), meetings: new Map() };
            slots.set(key, slot);
          }
          addEvent(slot.aggregate, { type, metric, value, a, b, c }, slot.meetings);
          slot.devices.add(device.id);
        }
        insert.run(
          id,
          pool,
          device.id,
          type,
          metric,
          value,
          receivedAt,
          `{"id":"${id}","type":"${type}","ts":${ts}${fields}}`,
        );
        stored++;
      };
      const [osName, osVersion, model] = device.os;
      emit(
        'census',
        null,
        null,
        2_000,
        `,"appName":"meet-launcher","deviceModel":"${model}","osName":"${osName}","osVersion":"${osVersion}","userLanguage":"${device.language}","userId":"${'ab'.repeat(32)}"`,
        osName,
        model,
        device.language,
      );
      const vital = (name: string, value: number, at: number) =>
        emit('vital', name, value, at, `,"name":"${name}","value":${value},"metricId":"v5-${serial}"`);
      vital('TTFB', Math.round(80 + rnd() ** 2 * 1500), 500);
      vital('FCP', Math.round(400 + rnd() ** 2 * 3000), 900);
      vital('LCP', Math.round(600 + rnd() ** 2 * 5000), 1_500);
      const usage = (metric: string, value: number, at: number) =>
        emit(
          'usage',
          metric,
          value,
          at,
          `,"metric":"${metric}","value":${value},"federationPartner":"${partner}","threadId":"${thread}"`,
          partner,
          thread,
        );
      usage('joinAttempt', 1, 20_000);
      const joined = rnd() < 0.93;
      if (joined) usage('joinSuccess', 1, 22_000);
      const minutes = Math.round(rnd() * 6000) / 100;
      if (joined) {
        const sent = Math.floor(rnd() * 12);
        if (sent) usage('imSent', sent, minutes * 60_000);
        usage('imReceived', Math.floor(rnd() * 30), minutes * 60_000);
        usage('meetingMinutes', minutes, minutes * 60_000);
      }
      if (rnd() < 0.12) {
        const code = pick(ERRORS);
        emit('error', code, null, 30_000, `,"code":"${code}","message":"Bench error","direction":"none"`);
      }
      vital('INP', Math.round(16 + rnd() ** 3 * 700), minutes * 60_000 + 1_000);
      vital('CLS', Math.round(rnd() ** 3 * 400) / 1000, minutes * 60_000 + 1_000);
    }
  });

  db.transaction(() => {
    for (const { sql } of indexes) db.exec(`DROP INDEX ${/CREATE INDEX (\w+)/.exec(sql)?.[1]}`);
  })();
  for (let limit = 0; limit < options.events; ) {
    limit = Math.min(options.events, limit + 500_000);
    load(limit);
    checkDeadline(`loading (${limit} events in)`);
  }
  const loadMs = performance.now() - started;
  const indexStart = performance.now();
  for (const { sql } of indexes) db.exec(sql);
  const indexMs = performance.now() - indexStart;
  checkDeadline('building the indexes');
  if (options.rollUpInline) {
    // What the server's minute job would have stored up to an hour ago (same functions, same rows).
    const write = db.prepare('INSERT INTO telemetry_rollup (pool, slot, aggregate, devices) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const [key, slot] of slots) {
        const [pool, number] = key.split('\u0000');
        write.run(
          pool,
          Number(number),
          encodeAggregate(slot.aggregate, slot.meetings),
          encodeDevices([...slot.devices].map(deviceHash)),
        );
      }
      db.prepare('UPDATE telemetry_rollup_state SET rolled_up_to = ? WHERE id = 1').run(rolledUpTo);
    })();
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The last hour is left to the real roll-up, timed here (all of it without rollUpInline).
  const before = (
    db.prepare('SELECT COUNT(*) AS n FROM telemetry_events WHERE received_at >= ?').get(rolledUpTo) as {
      n: number;
    }
  ).n;
  const rollStart = performance.now();
  await rollUpTelemetry(sqliteSql(db), options.now);
  const rollUpMs = performance.now() - rollStart;
  return { events: stored, loadMs, indexMs, rollUpMs, rolledUpEvents: options.rollUpInline ? before : stored };
}
