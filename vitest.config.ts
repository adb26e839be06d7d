import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability and security suite has its own command (npm run test:reliability).
    exclude: ['test/reliability/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child processes and sockets: keep output readable when something fails.
    reporters: ['default'],
  },
});
