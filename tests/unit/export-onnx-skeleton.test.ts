/**
 * The ONNX skeleton reader (src-main/model/onnx-skeleton.ts) against protobufjs's full decode of the
 * same bytes: the shipped graphs, a tiny float export and its int8 form; damaged bytes are refused
 * with a clear Error (never a hang or a non-Error throw). Loading a float package never loads protobufjs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readModelSkeleton } from '../../src-main/model/onnx-skeleton.ts';
import { decodeModelProto, type ModelProto } from '../../src-main/model/onnx-proto.ts';
import { encodeAcousticModel, exportOnnxModel } from '../../src-main/model/write-model.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomWeights, seededRandom } from '../helpers/random-weights.ts';

/** What the skeleton keeps, from a full decode. */
function skeletonOf(m: ModelProto) {
  return {
    irVersion: m.irVersion,
    opsetImport: m.opsetImport.map((o) => ({ domain: o.domain ?? '', version: o.version })),
    metadataProps: (m.metadataProps ?? []).map((p) => ({ key: p.key, value: p.value })),
    nodes: (m.graph?.node ?? []).map((n) => ({ name: n.name ?? '', opType: n.opType, domain: n.domain ?? '', input: n.input, output: n.output })),
  };
}

function sameAsFullDecode(bytes: Uint8Array): void {
  const s = readModelSkeleton(bytes);
  expect(skeletonOf(s)).toEqual(skeletonOf(decodeModelProto(bytes)));
  expect(s.graph?.initializer).toBeUndefined();
}

describe('readModelSkeleton', () => {
  it('reads the shipped graphs as protobufjs does (nodes, opsets, metadata)', () => {
    for (const f of ['model.onnx', 'model.stream.onnx']) {
      const bytes = readFileSync(join('models/hark-en', f));
      sameAsFullDecode(bytes);
      expect(readModelSkeleton(bytes).graph!.node!.length).toBeGreaterThan(3);
    }
  });

  it('reads a tiny float export and an int8 graph (contrib domain) as protobufjs does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-skel-'));
    try {
      const spec = { ...ENGINE_TEST_SPEC, cell: 'lstm' as const, bidirectional: true, layers: 2, hidden: 6 };
      const w = randomWeights(spec, 5);
      await exportOnnxModel(w, engineMetadata(spec), dir);
      sameAsFullDecode(readFileSync(join(dir, 'model.onnx')));
      const int8 = encodeAcousticModel(w, { ...engineMetadata(spec), quantization: { weights: 'int8', floatReference: 'x' } });
      sameAsFullDecode(int8);
      expect(readModelSkeleton(int8).graph!.node!.some((n) => n.domain === 'com.microsoft')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses damaged bytes with an Error naming the problem', () => {
    const bytes = readFileSync('models/hark-en/model.onnx');
    const rnd = seededRandom(3);
    let refused = 0;
    for (let k = 0; k < 200; k++) {
      const cut = bytes.subarray(0, Math.floor(rnd() * bytes.length));
      try {
        readModelSkeleton(cut);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^not an ONNX model \(protobuf decode failed\): /);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(150);
    for (const junk of [Uint8Array.of(0), Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), Uint8Array.of(0x3a, 0x05, 0x0a, 0x10), Uint8Array.of(0x0f), new TextEncoder().encode('{"not": "onnx"}')]) {
      expect(() => readModelSkeleton(junk)).toThrow(/^not an ONNX model \(protobuf decode failed\): /);
    }
  });

  it('a float package loads without protobufjs', () => {
    const code = `
      const { loadModelPackage } = await import('./src-main/model/model-package.ts');
      const pkg = await loadModelPackage('models/hark-en');
      process.stdout.write(JSON.stringify({ name: pkg.metadata.name }));`;
    // tsx's loader resolves the TypeScript sources; protobufjs is CommonJS, so loading it fills require.cache.
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${code}
      const { createRequire } = await import('node:module');
      const req = createRequire(import.meta.url);
      const p = req.resolve('protobufjs');
      process.stdout.write(' ' + String(Boolean(req.cache[p])));`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/"name":"hark-en"\} false$/);
  });
});
