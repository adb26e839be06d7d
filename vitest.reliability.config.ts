// `npm run test:reliability`: crash consistency, full disk, authentication attacks, protocol
// abuse, fuzzing, isolation, secrets, TLS and soak (issue 10). Each test prints its figure.
// RELIABILITY_SCALE=ci (what .ci/run sets) bounds the counts so CI stays within its time;
// `npm run test:reliability -- --soak` (test/reliability/run.mjs) runs the soak for 30 minutes.
import { defineConfig } from 'vitest/config';
import { SweepLastSequencer } from './test/reliability/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: these tests load the machine on purpose and measure it.
    fileParallelism: false,
    // A ledger of every log line and every secret of the run; the secrets sweep reads it last.
    globalSetup: ['test/reliability/global-setup.ts'],
    sequence: { sequencer: SweepLastSequencer },
    testTimeout: 40 * 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
