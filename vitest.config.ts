import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // A deadline, not a speed check (speed lives in the bench): on a busy 2-core machine a test that
    // takes 1 s alone can take 20 (the admin CLI's many-verb tests, 2,000 generated links).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One throwaway PostgreSQL for the run (the store's tests run against SQLite and PostgreSQL).
    globalSetup: ['test/support/vitest-postgres.ts'],
  },
});
