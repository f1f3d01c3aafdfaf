/**
 * The request's pool carries its effective config, read once: an ingest request, a join and a
 * page each run exactly one config SELECT (the ingest used to run up to three statements for its
 * switch, again for the headers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { storeOf } from '../support/temp-store';

let dir: string;
let db: Db;
let app: FastifyInstance;
let statements: string[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-once-'));
  db = openDatabase(dir, { verbose: (sql) => statements.push(String(sql)) });
  await seedDemoIfEmpty(storeOf(db).sql);
  await putDocument(
    storeOf(db).sql,
    { kind: 'service', pool: 'pool01.contoso.com' },
    { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true },
  );
  app = await buildApp({ store: storeOf(db), secret: Buffer.alloc(32, 3), distDir: dir });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const configReads = () => statements.filter((sql) => /SELECT[\s\S]*FROM config_documents/i.test(sql)).length;

it('reads the pool config once for an ingest request (switch, quota and headers)', async () => {
  statements = [];
  const response = await app.inject({
    method: 'POST',
    url: TELEMETRY_PATH,
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: {
      v: 1,
      deviceId: '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
      events: [{ id: 'once-evt-1', type: 'usage', ts: 1, metric: 'joinAttempt', value: 1 }],
    },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-security-policy']).toBeDefined();
  expect(configReads()).toBe(1);
});

it('reads it once for a join and once for the config document', async () => {
  statements = [];
  const join = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: { displayName: 'Dana' },
  });
  expect(join.statusCode).toBe(201);
  expect(configReads()).toBe(1);
  statements = [];
  const config = await app.inject({ url: '/config/webservice.json', headers: { host: '127.0.0.1' } });
  expect(config.json()).toMatchObject({ MeetingUxEnableTelemetry: true });
  expect(configReads()).toBe(1);
});
