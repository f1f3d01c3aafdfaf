/** PostgreSQL schema: the live tables. Append new migrations; never edit one that has shipped. */
import type { Migration } from '../pg-migrations';

export const LIVE_MIGRATIONS: Migration[] = [];
