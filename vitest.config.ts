import { defineConfig } from 'vitest/config';

// Two suites (test/README.md): `unit` starts nothing (no database, no process); `integration` runs the
// real SQLite and PostgreSQL, child processes and several nodes. `vitest run` runs both;
// `vitest run --project unit` only the first.
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // A deadline, not a speed check (speed lives in the bench): on a busy 2-core machine a test that
    // takes 1 s alone can take 20 (the admin CLI's many-verb tests, 2,000 generated links).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One throwaway PostgreSQL for the run (the store's tests run against SQLite and PostgreSQL).
          globalSetup: ['test/support/vitest-postgres.ts'],
        },
      },
    ],
  },
});
