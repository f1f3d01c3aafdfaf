/**
 * The attendees' privacy notice says what the schema lets a page send: every category and field has
 * words in all seven languages, every event type has a category, and the list the page is built
 * with is `collectedCategories()` itself.
 */
import { describe, expect, it } from 'vitest';
import { NOTICE_CATALOG_LOADERS } from '../../src/client/i18n/notice/catalogs';
import { notice as source } from '../../src/client/i18n/notice/notice-en-US';
import { noticeSections } from '../../src/client/privacy/notice-model';
import { SUPPORTED_LOCALES } from '../../src/shared/config-page';
import {
  COLLECTED_CATEGORIES,
  categoryOfEventType,
  collectedCategories,
  fieldsInEvent,
  schemaEventTypes,
} from '../../src/shared/telemetry-collected';
import { type TelemetryEvent, telemetryEvent } from '../../src/shared/telemetry-schema';
import viteConfig from '../../vite.config';

/** Every key the notice needs for what the schema lets a page send. */
function keysTheSchemaNeeds(): string[] {
  return collectedCategories().flatMap(({ category, fields }) => [
    `category.${category}`,
    `categoryNote.${category}`,
    ...fields.flatMap((field) => [`field.${category}.${field.name}`, `treatment.${field.treatment}`]),
  ]);
}

describe.each(SUPPORTED_LOCALES)('notice words %s', (locale) => {
  it('label every field of every category, each category and each treatment', async () => {
    const { notice } = await NOTICE_CATALOG_LOADERS[locale]();
    const words = notice as Record<string, string | undefined>;
    const missing = keysTheSchemaNeeds().filter((key) => !words[key]?.trim());
    expect(missing).toEqual([]);
  });

  it('has exactly the source’s keys, each in its own words', async () => {
    const { notice } = await NOTICE_CATALOG_LOADERS[locale]();
    expect(Object.keys(notice).sort()).toEqual(Object.keys(source).sort());
    for (const [key, text] of Object.entries(notice)) expect(text.trim(), key).not.toBe('');
    if (locale === 'en-US') return;
    const untranslated = Object.entries(source).filter(([key, text]) => notice[key as keyof typeof source] === text);
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });
});

describe('categories', () => {
  it('give every event type of the schema a category, and name no type the schema lacks', () => {
    const types = schemaEventTypes();
    expect(types).toEqual(telemetryEvent.options.map((option) => option.entries.type.literal));
    expect(types.filter((type) => categoryOfEventType(type) === undefined)).toEqual([]);
    const named = collectedCategories().flatMap((entry) => entry.eventTypes);
    expect(named.sort()).toEqual([...types].sort());
    expect(collectedCategories().map((entry) => entry.category)).toEqual([...COLLECTED_CATEGORIES]);
  });

  it('are what the page is built with (vite.config.ts evaluates them at build time)', () => {
    const define = viteConfig as { define?: Record<string, string> };
    expect(JSON.parse(define.define?.__COLLECTED_CATEGORIES__ ?? 'null')).toEqual(collectedCategories());
  });
});

describe('fieldsInEvent', () => {
  const events: TelemetryEvent[] = [
    {
      id: 'event-0001',
      type: 'census',
      ts: 1,
      appName: 'meet-launcher',
      deviceModel: 'Desktop',
      osName: 'Linux',
      osVersion: '6',
      userLanguage: 'en-US',
      userId: 'a'.repeat(64),
    },
    { id: 'event-0002', type: 'usage', ts: 1, metric: 'imSent', value: 3, federationPartner: 'contoso.com' },
    { id: 'event-0003', type: 'usage', ts: 1, metric: 'joinAttempt', value: 1 },
    { id: 'event-0004', type: 'error', ts: 1, code: 'join:failed', message: 'm', userId: 'p-1' },
    { id: 'event-0005', type: 'vital', ts: 1, name: 'LCP', value: 100, metricId: 'v5-1' },
    {
      id: 'event-0006',
      type: 'callQuality',
      ts: 1,
      samples: 3,
      rttMsMedian: 1,
      rttMsP95: 2,
      jitterMsMedian: 1,
      jitterMsP95: 2,
      lossPctMedian: 0,
      lossPctP95: 0,
    },
    {
      id: 'event-0007',
      type: 'deviceConfig',
      ts: 1,
      microphones: 1,
      cameras: 1,
      speakers: 0,
      micOn: true,
      cameraOn: false,
    },
  ];

  it('names a usage event by its metric (and partner), any other by its own fields, never the envelope', () => {
    expect(fieldsInEvent(events[1] as TelemetryEvent)).toEqual(['imSent', 'federationPartner']);
    expect(fieldsInEvent(events[2] as TelemetryEvent)).toEqual(['joinAttempt']);
    expect(fieldsInEvent(events[3] as TelemetryEvent)).toEqual(['code', 'message', 'userId']);
  });

  it('finds every field of every kind of event in its category’s list', () => {
    for (const event of events) {
      const category = collectedCategories().find((entry) => entry.category === categoryOfEventType(event.type));
      const listed = new Set(category?.fields.map((field) => field.name));
      expect(
        fieldsInEvent(event).filter((name) => !listed.has(name)),
        event.type,
      ).toEqual([]);
    }
  });
});

describe('noticeSections', () => {
  it('labels each field and its treatment from the words, in the schema’s order', () => {
    const sections = noticeSections(collectedCategories(), source);
    const census = sections.find((section) => section.category === 'census');
    expect(census).toMatchObject({ title: source['category.census'], eventTypes: ['census'] });
    expect(census?.fields.find((field) => field.name === 'userId')).toEqual({
      name: 'userId',
      label: source['field.census.userId'],
      treatment: source['treatment.hashed-twice'],
    });
    expect(census?.fields.find((field) => field.name === 'deviceId')?.treatment).toBe(source['treatment.generated']);
    expect(sections.map((section) => section.fields.map((field) => field.name))).toEqual(
      collectedCategories().map((entry) => entry.fields.map((field) => field.name)),
    );
  });

  it('still shows a field the words do not know yet, under its own name', () => {
    const [section] = noticeSections(
      [{ category: 'census', eventTypes: ['census'], fields: [{ name: 'newField', treatment: 'clear' }] }],
      {},
    );
    expect(section?.fields).toEqual([{ name: 'newField', label: 'newField', treatment: 'clear' }]);
  });
});
