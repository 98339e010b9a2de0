// Model folders against interrupted imports and oversized files: stages of killed imports are never
// listed and are cleaned by the next import; oversized cards and word lists are refused unread.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModel, removeStaleStages } from '../../src-main/model/model-install.ts';
import { listModels } from '../../src-main/model/model-registry.ts';
import { UserVocabulary } from '../../src-main/lexicon/user-vocabulary.ts';
import { FileTooLargeError, readTextCapped } from '../../src-main/system/read-capped.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-install-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('model folders: interrupted imports', () => {
  it('never lists a stage, and the next import removes stages whose process is gone', async () => {
    const models = join(dir, 'models');
    const gone = spawnSync('true').pid!; // a process that has exited
    const deadStage = join(models, `.importing-${gone}-1700000000000`);
    const liveStage = join(models, `.importing-${process.pid}-1700000000000`);
    await cp('models/hark-en', deadStage, { recursive: true });
    await mkdir(liveStage, { recursive: true });
    expect((await listModels([{ dir: models, shipped: false }])).models).toEqual([]);
    const info = await importModel('models/hark-en', models);
    expect(info.name).toBe('hark-en');
    expect((await readdir(models)).sort()).toEqual([`.importing-${process.pid}-1700000000000`, info.dir.split('/').pop()].sort());
    expect((await listModels([{ dir: models, shipped: false }])).models.map((m) => m.dir)).toEqual([info.dir]);
    expect(await removeStaleStages(models)).toEqual([]);
  });
});

describe('oversized files', () => {
  it('refuses a file over its cap before reading it, naming the file and both sizes', async () => {
    const p = join(dir, 'big.txt');
    await writeFile(p, Buffer.alloc(2_000_001, 32));
    await expect(readTextCapped(p, 2_000_000, 'a test file')).rejects.toThrow(FileTooLargeError);
    await expect(readTextCapped(p, 2_000_000, 'a test file')).rejects.toThrow(`${p}: 2.0 MB, more than the 2.0 MB a test file may have`);
    expect(await readTextCapped(p, 3_000_000, 'a test file')).toHaveLength(2_000_001);
  });

  it('skips a model folder whose model.json is huge, with the reason', async () => {
    const root = join(dir, 'huge-card');
    await mkdir(join(root, 'm'), { recursive: true });
    await writeFile(join(root, 'm', 'model.json'), `{"pad": "${'x'.repeat(5_000_000)}"}`);
    const { models, broken } = await listModels([{ dir: root, shipped: false }]);
    expect(models).toEqual([]);
    expect(broken.map((b) => `${b.dir}: ${b.reason}`).join('\n')).toMatch(/model\.json: 5\.0 MB, more than the 4\.0 MB a model card \(model\.json\) may have/);
  });

  it('refuses a huge words.json with a clear error', async () => {
    const p = join(dir, 'words.json');
    await writeFile(p, `{"version": 1, "words": [], "pad": "${'x'.repeat(9_000_000)}"}`);
    expect(() => UserVocabulary.load(p)).toThrow(/words\.json.*9\.0 MB, more than the 8\.0 MB the word list \(words\.json\) may have/);
  });
});
