// Word/phrase list files: comments, blank lines, normalization, duplicates, and clear refusals.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFileError, parseListText, readListFile } from '../../src-main/engine/list-file.ts';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
async function file(content: string | Uint8Array): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hark-list-'));
  dirs.push(d);
  const p = join(d, 'list.txt');
  await writeFile(p, content);
  return p;
}

describe('list files', () => {
  it('reads one normalized item per line, skipping comments, blank lines and duplicates', async () => {
    const p = await file('\uFEFF# my commands\nNext slide!\r\n\n  previous   slide  # go back\nnext slide\nGo to page 42\n   \n# end\n');
    expect(await readListFile(p)).toEqual(['next slide', 'previous slide', 'go to page forty two']);
  });

  it('refuses an empty list, a line without words, a missing file and non-UTF-8 bytes, naming the file', async () => {
    const empty = await file('# only comments\n\n');
    await expect(readListFile(empty)).rejects.toThrow(`${empty}: the list is empty (one item per line; # starts a comment)`);
    expect(() => parseListText('hello\n!!!\n', 'x.txt')).toThrow('x.txt: line 2: "!!!" has no words');
    const missing = join(tmpdir(), 'hark-no-such-list.txt');
    await expect(readListFile(missing)).rejects.toThrow(`${missing}: list file not found`);
    const latin1 = await file(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(readListFile(latin1)).rejects.toThrow(`${latin1}: list file is not valid UTF-8`);
    await expect(readListFile(latin1)).rejects.toBeInstanceOf(ListFileError);
  });
});
