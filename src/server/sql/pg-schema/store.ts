/** PostgreSQL schema: the store tables. Append new migrations; never edit one that has shipped. */
import type { Migration } from '../pg-migrations';

export const STORE_MIGRATIONS: Migration[] = [];
