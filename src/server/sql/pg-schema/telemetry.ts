/** PostgreSQL schema: the telemetry tables. Append new migrations; never edit one that has shipped. */
import type { Migration } from '../pg-migrations';

export const TELEMETRY_MIGRATIONS: Migration[] = [];
