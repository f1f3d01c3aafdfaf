import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One throwaway PostgreSQL for the run (the store's tests run against SQLite and PostgreSQL).
    globalSetup: ['test/support/vitest-postgres.ts'],
  },
});
