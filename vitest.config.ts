import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The CLI reads the user's vocabulary from the user data folder by default: tests get an empty
// folder of their own, so a developer's words never change a test's result.
process.env.HARK_USER_DATA ??= mkdtempSync(join(tmpdir(), 'hark-test-user-'));

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds the CLI bundle when missing or stale, before any test runs `node bin/hark.mjs`.
    globalSetup: ['tests/helpers/cli-bundle-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: heavy suites (training, onnxruntime, Chromium) must not all run at once.
    maxWorkers: 2,
  },
});
