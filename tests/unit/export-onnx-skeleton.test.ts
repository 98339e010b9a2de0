/**
 * The ONNX skeleton reader (src-main/model/onnx-skeleton.ts) against protobufjs's full decode of the
 * same bytes: the shipped graphs, a tiny float export and its int8 form (nodes with their attributes,
 * and with `initializers` every initializer's name, type, dims and data); damaged bytes are refused
 * with a clear Error (never a hang or a non-Error throw). Loading a package, float or int8, never
 * loads protobufjs.
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

const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

/** What the skeleton keeps, from a full decode. */
function skeletonOf(m: ModelProto) {
  return {
    irVersion: m.irVersion,
    opsetImport: m.opsetImport.map((o) => ({ domain: o.domain ?? '', version: o.version })),
    metadataProps: (m.metadataProps ?? []).map((p) => ({ key: p.key, value: p.value })),
    nodes: (m.graph?.node ?? []).map((n) => ({
      name: n.name ?? '', opType: n.opType, domain: n.domain ?? '', input: n.input, output: n.output,
      attribute: (n.attribute ?? []).map((a) => ({
        name: a.name, type: a.type, i: a.i, f: a.f, s: a.s && text(a.s), floats: a.floats ?? [], ints: a.ints ?? [], strings: (a.strings ?? []).map(text),
      })),
    })),
  };
}

/** The initializers as the int8 check reads them. */
function initializersOf(m: ModelProto) {
  return (m.graph?.initializer ?? []).map((t) => ({
    name: t.name, dims: t.dims ?? [], dataType: t.dataType, raw: text(t.rawData), floatData: t.floatData ?? [], int32Data: t.int32Data ?? [],
  }));
}

function sameAsFullDecodeNodes(bytes: Uint8Array): void {
  expect(skeletonOf(readModelSkeleton(bytes))).toEqual(skeletonOf(decodeModelProto(bytes)));
}

function sameAsFullDecode(bytes: Uint8Array): void {
  const s = readModelSkeleton(bytes);
  const full = decodeModelProto(bytes);
  expect(skeletonOf(s)).toEqual(skeletonOf(full));
  expect(s.graph?.initializer).toBeUndefined();
  const withWeights = readModelSkeleton(bytes, { initializers: true });
  expect(skeletonOf(withWeights)).toEqual(skeletonOf(full));
  expect(initializersOf(withWeights)).toEqual(initializersOf(full));
  expect(withWeights.graph!.initializer!.length).toBeGreaterThan(3);
}

describe('readModelSkeleton', () => {
  it('reads the shipped graphs (int8) and their float reference as protobufjs does', () => {
    for (const dir of ['models/hark-en', 'models-float/hark-en']) {
      for (const f of ['model.onnx', 'model.stream.onnx']) {
        const bytes = readFileSync(join(dir, f));
        sameAsFullDecode(bytes);
        expect(readModelSkeleton(bytes).graph!.node!.length).toBeGreaterThan(3);
      }
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
      const skeleton = readModelSkeleton(int8);
      expect(skeleton.graph!.node!.some((n) => n.domain === 'com.microsoft')).toBe(true);
      // attributes carry their values: the quantized LSTM's hidden size and direction
      const lstm = skeleton.graph!.node!.find((n) => n.opType === 'DynamicQuantizeLSTM')!;
      expect(lstm.attribute!.find((a) => a.name === 'hidden_size')!.i).toBe(6);
      expect(text(lstm.attribute!.find((a) => a.name === 'direction')!.s)).toBe('bidirectional');
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

  it('reads negative int64 attributes (ten-byte varints) as protobufjs does', () => {
    // a ModelProto whose graph has one node with attribute axis = -1 (type INT) and ints [-2, 3]
    const attr = Uint8Array.of(0x0a, 0x04, ...new TextEncoder().encode('axis'), 0xa0, 0x01, 0x02, 0x18, ...Array(9).fill(0xff), 0x01, 0x40, 0xfe, ...Array(8).fill(0xff), 0x01, 0x40, 0x03);
    const node = Uint8Array.of(0x22, 0x04, ...new TextEncoder().encode('Flip'), 0x2a, attr.length, ...attr);
    const graph = Uint8Array.of(0x0a, node.length, ...node);
    const bytes = Uint8Array.of(0x08, 0x08, 0x3a, graph.length, ...graph);
    const a = readModelSkeleton(bytes).graph!.node![0].attribute![0];
    expect({ i: a.i, ints: a.ints }).toEqual({ i: -1, ints: [-2, 3] });
    sameAsFullDecodeNodes(bytes);
  });

  for (const [what, dir, weights] of [['a float package', 'models-float/hark-en', 'float'], ['an int8 package (the shipped model)', 'models/hark-en', 'int8']]) it(`${what} loads without protobufjs`, () => {
    const code = `
      const { loadModelPackage, loadStreamingGraph } = await import('./src-main/model/model-package.ts');
      const pkg = await loadModelPackage('${dir}');
      await loadStreamingGraph(pkg);
      process.stdout.write(JSON.stringify({ name: pkg.metadata.name, q: pkg.metadata.quantization?.weights ?? 'float' }));`;
    // tsx's loader resolves the TypeScript sources; protobufjs is CommonJS, so loading it fills require.cache.
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${code}
      const { createRequire } = await import('node:module');
      const req = createRequire(import.meta.url);
      const p = req.resolve('protobufjs');
      process.stdout.write(' ' + String(Boolean(req.cache[p])));`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`"name":"hark-en","q":"${weights}"\\} false$`));
  });
});
