import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildRenderer } from '../../testkit/app-harness.ts';

/**
 * A renderer bundle built once for a test file (beforeAll) into a temporary folder, removed
 * afterwards; returns a getter for the folder.
 */
export function rendererForSuite(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hark-renderer-'));
    buildRenderer(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
