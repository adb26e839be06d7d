// `npm run test:reliability`: crash consistency, full disk, authentication attacks, protocol
// abuse, fuzzing, isolation, secrets, TLS and soak (issue 10). Each test prints its figure.
// RELIABILITY_SCALE=ci (what .ci/run sets) bounds the counts so CI stays within its time;
// `npm run test:reliability -- --soak` is not a vitest flag: use RELIABILITY_SOAK_MINUTES=30.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: these tests load the machine on purpose and measure it.
    fileParallelism: false,
    testTimeout: 40 * 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
