/**
 * What a page sends when its pool's MeetingUxEnableTelemetry is on, by category, read off the very
 * schema the page builds its batches with and the ingest validates them against
 * (telemetry-schema.ts). The attendees' notice (`privacy-notice`) and the admin CLI's
 * `what-is-collected` both print this, so neither can drift from what is really sent: a field
 * added to the schema appears here without anyone writing it twice.
 */
import {
  callQualityEvent,
  censusEvent,
  deviceConfigEvent,
  errorEvent,
  telemetryBatch,
  telemetryEvent,
  USAGE_METRICS,
  usageEvent,
  vitalEvent,
} from './telemetry-schema';

export const COLLECTED_CATEGORIES = ['census', 'usage', 'errors', 'performance'] as const;
export type CollectedCategory = (typeof COLLECTED_CATEGORIES)[number];

/** How a field's value is treated before it leaves the page or is stored. */
export type FieldTreatment = 'clear' | 'generated' | 'hashed-twice' | 'hashed-by-server' | 'count';

export type CollectedField = {
  /** The field's name in the batch (or the counter's metric name). */
  name: string;
  treatment: FieldTreatment;
};

export type CollectedCategoryEntry = {
  category: CollectedCategory;
  /** The event `type`s of this category. */
  eventTypes: string[];
  fields: CollectedField[];
};

/** Every event carries these; they say nothing about the person. */
const ENVELOPE = new Set(['id', 'type', 'ts']);

type ObjectLike = { entries: Record<string, unknown> };
type PipedObject = { pipe: readonly unknown[] };

/** The object schema itself, whether bare or the first step of a pipe (a refined object). */
function objectOf(schema: ObjectLike | PipedObject): ObjectLike {
  return 'entries' in schema ? schema : (schema.pipe[0] as ObjectLike);
}

function entriesOf(schema: ObjectLike | PipedObject): string[] {
  return Object.keys(objectOf(schema).entries).filter((name) => !ENVELOPE.has(name));
}

function treatmentOf(type: string, name: string): FieldTreatment {
  if (name === 'deviceId') return 'generated';
  // The census UserID is hashed on the device, then again (keyed) by the service; an error
  // report's participant id is hashed by the service before it is stored.
  if (name === 'userId') return type === 'census' ? 'hashed-twice' : 'hashed-by-server';
  return 'clear';
}

function fieldsOf(type: string, schema: ObjectLike | PipedObject): CollectedField[] {
  return entriesOf(schema).map((name) => ({ name, treatment: treatmentOf(type, name) }));
}

/** The batch-level fields (besides the events): the DeviceID, made once per device. */
const batchFields = Object.keys((telemetryBatch as unknown as ObjectLike).entries).filter(
  (name) => name !== 'v' && name !== 'events',
);

/** Every category, with every field the schema lets a page send in it. */
export function collectedCategories(): CollectedCategoryEntry[] {
  const usageFields = entriesOf(usageEvent as unknown as PipedObject).filter(
    (name) => name !== 'metric' && name !== 'value',
  );
  return [
    {
      category: 'census',
      eventTypes: ['census'],
      fields: [
        ...batchFields.map((name) => ({ name, treatment: treatmentOf('batch', name) })),
        ...fieldsOf('census', censusEvent),
      ],
    },
    {
      category: 'usage',
      eventTypes: ['usage'],
      fields: [
        ...USAGE_METRICS.map((name) => ({ name, treatment: 'count' as const })),
        ...usageFields.map((name) => ({ name, treatment: treatmentOf('usage', name) })),
      ],
    },
    { category: 'errors', eventTypes: ['error'], fields: fieldsOf('error', errorEvent) },
    {
      category: 'performance',
      eventTypes: ['vital', 'callQuality', 'deviceConfig'],
      fields: [
        ...fieldsOf('vital', vitalEvent),
        ...fieldsOf('callQuality', callQualityEvent),
        ...fieldsOf('deviceConfig', deviceConfigEvent),
      ],
    },
  ];
}

/** The category an event type belongs to (every type of the schema has one). */
export function categoryOfEventType(type: string): CollectedCategory | undefined {
  return collectedCategories().find((entry) => entry.eventTypes.includes(type))?.category;
}

/** Every event `type` the schema accepts, read off its `telemetryEvent` variant. */
export function schemaEventTypes(): string[] {
  const options = (telemetryEvent as unknown as { options: (ObjectLike | PipedObject)[] }).options;
  return options.map((option) => (objectOf(option).entries.type as { literal: string }).literal);
}

/**
 * The collected fields one sent event stands for, as `collectedCategories()` names them: a usage
 * event is its metric (and the federation partner and meeting when it has them); any other event, its own
 * fields. The envelope (`id`, `type`, `ts`) says nothing about anyone and is left out.
 */
export function fieldsInEvent(event: Record<string, unknown>): string[] {
  if (event.type === 'usage') {
    return [String(event.metric), ...['federationPartner', 'threadId'].filter((name) => name in event)];
  }
  return Object.keys(event).filter((name) => !ENVELOPE.has(name));
}
