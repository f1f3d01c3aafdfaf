/**
 * `what-is-collected [-Pool fqdn] [--Json]`: what a pool's pages send, for the admin, from the same
 * schema the pages and the ingest use (telemetry-collected.ts, which the attendees' notice prints
 * too), with each pool's effective switch, and the document that decides it, on top.
 */
import {
  type CollectedCategoryEntry,
  collectedCategories,
  type FieldTreatment,
} from '../../shared/telemetry-collected';
import { effectiveConfigFor } from '../store/config-store';
import { findPool, listPools, type Pool } from '../topology/topology';
import { formatValue } from './config-notices';
import { CliError, type VerbContext } from './context';

const TREATMENT: Record<FieldTreatment, string> = {
  clear: 'as the page has it',
  generated: 'a random id made once on this device, not derived from the person',
  'hashed-twice': 'hashed on the device, then hashed again (keyed) by the service before it is stored',
  'hashed-by-server': 'hashed (keyed) by the service before it is stored; never stored in clear',
  count: 'a count (minutes for the minute counters)',
};

const WHEN_OFF =
  "When a pool's MeetingUxEnableTelemetry is False, its pages send nothing: no telemetry request at all, no telemetry code loaded, nothing kept on the device for telemetry.";
const WHEN_ON =
  "When it is True, its pages send the following (to POST /telemetry/v1/batch, or the pool's TelemetryEndpoint):";
const NEVER =
  'Never sent: display names, chat text, full URLs or query strings, meeting IDs, IP addresses, audio or video.';

interface PoolSwitch {
  pool: string;
  MeetingUxEnableTelemetry: boolean;
  /** The document that decides it. */
  source: string;
}

async function switchOf(ctx: VerbContext, pool: Pool): Promise<PoolSwitch> {
  const config = await effectiveConfigFor(ctx.sql, pool);
  return { pool: pool.fqdn, MeetingUxEnableTelemetry: config.MeetingUxEnableTelemetry, source: config.Identity };
}

function categoryLines(entry: CollectedCategoryEntry): string[] {
  const width = Math.max(...entry.fields.map((f) => f.name.length));
  return [
    `  ${entry.category} (event types: ${entry.eventTypes.join(', ')})`,
    ...entry.fields.map((f) => `    ${f.name.padEnd(width)}  ${TREATMENT[f.treatment]}`),
  ];
}

export async function whatIsCollected(ctx: VerbContext): Promise<string[]> {
  const { command } = ctx;
  let pools: Pool[];
  if (command.pool === undefined) pools = await listPools(ctx.sql);
  else {
    const pool = await findPool(ctx.sql, command.pool);
    if (!pool) throw new CliError(`There is no pool named "${command.pool}".`);
    pools = [pool];
  }
  const switches: PoolSwitch[] = [];
  for (const pool of pools) switches.push(await switchOf(ctx, pool));
  const categories = collectedCategories();
  if (command.json)
    return [
      JSON.stringify(
        {
          pools: switches,
          whenOff: WHEN_OFF,
          categories: categories.map((entry) => ({
            ...entry,
            fields: entry.fields.map((f) => ({ ...f, meaning: TREATMENT[f.treatment] })),
          })),
        },
        null,
        2,
      ),
    ];
  const top =
    switches.length === 0
      ? ['There is no pool yet.']
      : switches.map(
          (s) =>
            `${s.pool}: MeetingUxEnableTelemetry ${formatValue(s.MeetingUxEnableTelemetry)} (from ${s.source}): ${
              s.MeetingUxEnableTelemetry ? 'its pages send what is listed below' : 'its pages send nothing'
            }`,
        );
  return [...top, '', WHEN_OFF, WHEN_ON, ...categories.flatMap(categoryLines), NEVER];
}
