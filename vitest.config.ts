import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: heavy suites (training, onnxruntime, Chromium) must not all run at once.
    maxWorkers: 2,
  },
});
