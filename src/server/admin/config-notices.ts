/**
 * What each pool gets after a configuration write, said on stderr so that a write can never leave
 * an admin believing something the pools do not do (issue 20: `set -MeetingUxEnableTelemetry
 * $False` wrote Global, and a pool with its own document kept sending telemetry, with no word).
 * Pure: the caller reads every pool's effective configuration before and after the write (inside
 * the write's transaction, so a -WhatIf is computed as if written) and hands them here.
 */
import { PARAMETER_NAMES, type ParameterName, type WebServiceConfig } from '../../shared/config-schema';
import type { StoredDocument } from '../store/config-store';
import type { Pool } from '../topology/topology';

/** The switch every removal reports for each pool it governed, whether or not it changed. */
const THE_SWITCH: ParameterName = 'MeetingUxEnableTelemetry';

export interface ConfigWrite {
  /** The documents written (set -Identity * writes many). */
  targets: string[];
  /** The parameters the command wrote and the values it asked for (remove Global: the defaults). */
  asked: Partial<WebServiceConfig>;
  /** remove: the document removed (or Global, reset). */
  removed?: string;
  /** new: the document created. */
  created?: string;
  whatIf: boolean;
}

export interface PoolEffect {
  pool: Pool;
  before: StoredDocument;
  after: StoredDocument;
}

/** A value as an admin typed it: True/False like the cmdlets, text quoted, numbers bare. */
export function formatValue(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a document decides for a pool when no more specific one exists. */
function covers(identity: string, pool: Pool): boolean {
  if (same(identity, 'Global')) return true;
  if (same(identity, `Site:${pool.site}`)) return true;
  return same(identity, `Service:WebServer:${pool.fqdn}`);
}

/** Why the pool's deciding document is not the one written. */
function whyNotWritten(decider: string, written: string[], pool: Pool): string {
  if (written.length !== 1) return `from ${decider}`;
  const target = written[0] as string;
  if (covers(target, pool)) return `from ${decider}, which overrides ${target}`;
  if (target.startsWith('Site:'))
    return `from ${decider}; ${target} applies only to the pools of site ${target.slice(5)}, and this pool is in site ${pool.site}`;
  return `from ${decider}; ${target} applies only to ${target.slice('Service:WebServer:'.length)}`;
}

/** Where the pool's value now comes from, with what it was (or, with -WhatIf, is) before. */
function source(effect: PoolEffect, write: ConfigWrite, name: ParameterName): string {
  const { before, after } = effect;
  const decider = after.Identity;
  const resetGlobal = write.removed !== undefined && same(write.removed, 'Global') && same(decider, 'Global');
  const from = resetGlobal
    ? 'from Global, reset to product defaults'
    : write.created !== undefined && same(decider, write.created)
      ? `from ${decider}, a new document, which starts from product defaults`
      : `from ${decider}`;
  const was = write.whatIf ? 'now' : 'was';
  const removed =
    write.removed !== undefined && same(write.removed, before.Identity) && !same(before.Identity, 'Global')
      ? write.whatIf
        ? ', which would be removed'
        : ', now removed'
      : '';
  if (before[name] === after[name]) {
    if (same(before.Identity, decider)) return from;
    return `${from}; ${was} from ${before.Identity}${removed}`;
  }
  if (same(before.Identity, decider)) return `${from}; ${was} ${formatValue(before[name])}`;
  return `${from}; ${was} ${formatValue(before[name])} from ${before.Identity}${removed}`;
}

const WORDS = {
  stays: ['stays', 'would stay'],
  now: ['now', 'would then be'],
  still: ['still', 'would still be'],
} as const;

/**
 * One line per pool and parameter where the pool does not get what the write asked for, or gets
 * something the write did not mention (a removed document, or a new one starting from defaults);
 * and, for a removal, the switch of every pool the removed document governed. Empty when every
 * pool simply gets what was asked.
 */
export function noticeLines(effects: PoolEffect[], write: ConfigWrite): string[] {
  const lines: string[] = [];
  const say = (effect: PoolEffect, name: ParameterName, word: keyof typeof WORDS, why: string) =>
    lines.push(
      `${write.whatIf ? 'What if: ' : ''}${effect.pool.fqdn}: ${name} ${WORDS[word][write.whatIf ? 1 : 0]} ${formatValue(
        effect.after[name],
      )} (${why})`,
    );
  for (const effect of [...effects].sort((a, b) => a.pool.fqdn.localeCompare(b.pool.fqdn))) {
    const { before, after } = effect;
    const governedByRemoved = write.removed !== undefined && same(before.Identity, write.removed);
    for (const name of PARAMETER_NAMES) {
      const changed = before[name] !== after[name];
      const asked = name in write.asked;
      if (asked && after[name] !== write.asked[name]) {
        if (changed) say(effect, name, 'now', source(effect, write, name));
        else say(effect, name, 'stays', whyNotWritten(after.Identity, write.targets, effect.pool));
      } else if (changed && (!asked || governedByRemoved)) {
        say(effect, name, 'now', source(effect, write, name));
      } else if (governedByRemoved && name === THE_SWITCH) {
        say(effect, name, 'still', source(effect, write, name));
      }
    }
  }
  return lines;
}
