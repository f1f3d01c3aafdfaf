/**
 * Vitest global setup of the integration project (the unit project has none): one throwaway
 * PostgreSQL for the whole run (see postgres.ts); test files read its URL with
 * `inject('postgresUrl')` and make their own database with freshDatabase.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
