/** What every admin verb's handler gets: the open store, the parsed command, how to write links. */
import type { Sql } from '../sql/sql';
import type { Store } from '../sql/store';
import type { LinkStyle } from '../topology/links';
import type { Command } from './args';

export interface VerbContext {
  store: Store;
  /** The store's `Sql`, for reads outside a write (a write runs in adminWrite's transaction). */
  sql: Sql;
  command: Command;
  links: LinkStyle;
  retentionDays: number;
  /** The time of this command (ms); tests hand it. */
  now: number;
  /** Who runs it, as config-history records it: the OS user. */
  actor: string;
  /** Lines for stderr (what each pool now gets after a configuration write); stdout stays the verb's output. */
  notices: string[];
}

/** A command that is well formed but cannot be carried out (the store is left as it was). */
export class CliError extends Error {}

export const text = (command: Command, name: string) => command.options[name] as string | undefined;
export const flag = (command: Command, name: string) => command.options[name] === true;
