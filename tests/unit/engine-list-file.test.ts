// Word/phrase/keyword list files: comments, blank lines, normalization, duplicates, sensitivities, and clear refusals.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFileError, parseKeywordListText, parseListText, readKeywordListFile, readListFile } from '../../src-main/engine/list-file.ts';

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

describe('keyword list files', () => {
  it('reads normalized keywords with an optional trailing /sensitivity/, first of duplicates kept', async () => {
    const p = await file('\uFEFF# keywords\r\nNext slide! /0.7/\n\nprevious slide # no sensitivity\nnext slide /0.2/\nstop/1/\n  volume up  / .25 /  # spaces\nturn on/off\nmp3 /1e-3/\n');
    expect(await readKeywordListFile(p)).toEqual([
      { text: 'next slide', sensitivity: 0.7 },
      { text: 'previous slide' },
      { text: 'stop', sensitivity: 1 },
      { text: 'volume up', sensitivity: 0.25 },
      { text: 'turn on off' },
      { text: 'mp three', sensitivity: 0.001 },
    ]);
    // The plain list reader is unchanged: it reads the same slashes as words.
    expect(parseListText('stop /1/\n', 'x.txt')).toEqual(['stop one']);
  });

  it('refuses a sensitivity outside (0, 1] or not a number, naming the file and line', () => {
    for (const bad of ['0', '1.5', '-0.5', 'abc', '', '0.5x', '1/2']) {
      const text = `stop\nnext slide /${bad}/\n`;
      const field = bad === '1/2' ? '2' : bad;
      expect(() => parseKeywordListText(text, 'k.txt')).toThrow(`k.txt: line 2: sensitivity "/${field}/" must be a number in (0, 1]`);
      expect(() => parseKeywordListText(text, 'k.txt')).toThrow(ListFileError);
    }
    expect(() => parseKeywordListText('/0.5/\n', 'k.txt')).toThrow('k.txt: line 1: "" has no words');
  });

  it('refuses an empty keyword list, a missing file and non-UTF-8 bytes like the other lists', async () => {
    expect(() => parseKeywordListText('# nothing\n\n', 'k.txt')).toThrow('k.txt: the list is empty (one keyword per line, optionally followed by /sensitivity/; # starts a comment)');
    const missing = join(tmpdir(), 'hark-no-such-keywords.txt');
    await expect(readKeywordListFile(missing)).rejects.toThrow(`${missing}: list file not found`);
    const latin1 = await file(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(readKeywordListFile(latin1)).rejects.toThrow(`${latin1}: list file is not valid UTF-8`);
  });
});
