import { defineConfig } from 'vitest/config';

// `npm run soak`: the long variants of the safety tests (test/soak) and the fuzz file with five times its seeds.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts', 'test/safety/fuzz.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    env: { SOAK_FUZZ: '5', SOAK_CRASH_EXTRA: '40' },
  },
});
