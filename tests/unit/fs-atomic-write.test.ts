/**
 * Atomic file writes (src-main/system/atomic-write.ts): the target gets all of the new data or keeps
 * what it had; a failed write names the file and the system's reason and leaves no temporary file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../src-main/system/atomic-write.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['async', (p: string, d: string, o?: { mkdir?: boolean }) => writeFileAtomic(p, d, o)],
  ['sync', async (p: string, d: string, o?: { mkdir?: boolean }) => writeFileAtomicSync(p, d, o)],
] as const)('writeFileAtomic (%s)', (name, write) => {
  it('replaces the whole file and creates its folder when asked', async () => {
    const path = join(dir, name, 'deep', 'settings.json');
    await expect(write(path, 'x')).rejects.toThrow(new RegExp(`could not save ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(ENOENT\\)`));
    await write(path, '{"a":1}', { mkdir: true });
    await write(path, '{"a":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(join(dir, name, 'deep'))).toEqual(['settings.json']);
  });

  it('leaves the target and no temporary file behind when the rename fails', async () => {
    const folder = join(dir, `${name}-fail`);
    const target = join(folder, 'words.json');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'inside'), 'kept');
    const err = await Promise.resolve().then(() => write(target, 'new')).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/^could not save .*words\.json \((EISDIR|ENOTEMPTY|EEXIST|EPERM)\)$/);
    expect((err as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
    expect(readdirSync(folder)).toEqual(['words.json']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
