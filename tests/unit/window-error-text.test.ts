/**
 * The text of errors bound for a window: parseJson reports where a file stops being JSON, at the
 * offset V8 itself names where it names one, and never the text; windowMessage drops onnxruntime's
 * source locations (taken from a real onnxruntime error) and shows install paths from the install
 * folder, keeping the user's paths.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { toWireError, windowMessage } from '../../src-main/backend/window-error.ts';
import { decodeModelProto, encodeModelProto } from '../../src-main/model/onnx-proto.ts';
import { JsonSyntaxError, jsonErrorOffset, parseJson } from '../../src-main/system/parse-json.ts';
import { UserRecordings } from '../../src-main/lexicon/user-recordings.ts';
import { loadCheckpoint } from '../../src-main/train/checkpoint.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

describe('parseJson', () => {
  it('parses what JSON.parse parses', () => {
    for (const t of ['{"a":[1,2.5e3,-0,{"b":null}],"c":"\\u00e9\\n"}', ' [true, false] ', '"x"', '0']) expect(parseJson(t)).toEqual(JSON.parse(t));
  });

  it('says where the text stops being JSON, never what it says', () => {
    const secret = 'root:x:0:0:hunter2:/root:/bin/bash';
    const cases: [string, number, number][] = [
      [secret, 1, 1], [`{"a": 1,\n "b": ${secret}}`, 2, 7], ['{"a": 1', 1, 8], ['[1, 2] hunter2', 1, 8], ['{"a": "\u0001"}', 1, 8],
      ['{"a": 01}', 1, 8], ['"\\x"', 1, 2], ['', 1, 1], ['{"a": tru}', 1, 10], ['{\r\n  "a": [1,,2]\r\n}', 2, 11],
    ];
    for (const [text, line, column] of cases) {
      let error: unknown;
      try {
        parseJson(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(JsonSyntaxError);
      expect((error as Error).message, text).toBe(`not valid JSON (at line ${line}, column ${column})`);
      expect((error as Error).message).not.toMatch(/hunter2|root/);
    }
  });

  it('finds the offset V8 names, where its message names one', () => {
    const texts = ['{"a": 1,}', '{"a" 1}', '[1, 2', '{"a": "b\u0002"}', '[1] [2]', '{,}', '{"a": 1} x', '[1, 2, 3, ]', '  {"k": [}'];
    let compared = 0;
    for (const t of texts) {
      try {
        JSON.parse(t);
      } catch (e) {
        const m = /at position (\d+)/.exec((e as Error).message);
        if (!m) continue;
        compared++;
        expect(jsonErrorOffset(t), t).toBe(Number(m[1]));
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});

describe("Hark's own JSON files, damaged", () => {
  it('are refused with their path and a position, none of their text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-json-files-'));
    try {
      const text = '{"step": 1, "note": hunter2}';
      await mkdir(join(dir, 'ckpt'));
      await writeFile(join(dir, 'ckpt', 'checkpoint.json'), text);
      await expect(loadCheckpoint(join(dir, 'ckpt'))).rejects.toThrow(`checkpoint ${join(dir, 'ckpt')}: checkpoint.json is not valid JSON (at line 1, column 21)`);
      const store = new UserRecordings(join(dir, 'rec'));
      await mkdir(store.dir, { recursive: true });
      await writeFile(store.indexPath, text);
      const e = await store.list().then(() => null, (e: Error) => e);
      expect(e?.message).toMatch(/index\.json is damaged \(not valid JSON \(at line 1, column 21\)\)/);
      expect(e?.message).not.toContain('hunter2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('windowMessage', () => {
  it("drops the source location and C++ signature of a real onnxruntime error, keeping its reason", async () => {
    const { dir } = await writeRandomModelPackage(2);
    const model = decodeModelProto(new Uint8Array(await readFile(`${dir}/model.onnx`)));
    model.irVersion = 99;
    const raw = await ort.InferenceSession.create(encodeModelProto(model)).then(() => '', (e: Error) => e.message);
    expect(raw).toMatch(/onnxruntime\/core\/.*\.cc:\d+ .*onnxruntime::/);
    const shown = windowMessage(`model /home/ann/m/model.onnx: onnxruntime cannot load the graph: ${raw}`);
    expect(shown).toMatch(/^model \/home\/ann\/m\/model\.onnx: onnxruntime cannot load the graph: Unsupported model IR version: 99, max supported IR version: \d+$/);
  });

  it('drops run-time source locations, in the forms onnxruntime prints them', () => {
    // As onnxruntime 1.x prints a kernel failure during run(), and a Windows build's location.
    const run = "Non-zero status code returned while running Reshape node. Name:'/r/Reshape' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/reshape_helper.h:39 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, onnxruntime::TensorShapeVector&, bool) size != 0 && (input_shape_size % size) == 0 was false. The input tensor cannot be reshaped to the requested shape.";
    expect(windowMessage(run)).toBe("Non-zero status code returned while running Reshape node. Name:'/r/Reshape' Status Message: size != 0 && (input_shape_size % size) == 0 was false. The input tensor cannot be reshaped to the requested shape.");
    const provider = '/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /opt/Hark/node_modules/onnxruntime-node/bin/libonnxruntime_providers_shared.so';
    expect(windowMessage(provider, '/opt/Hark')).toBe('[ONNXRuntimeError] : 1 : FAIL : Failed to load library <Hark>/node_modules/onnxruntime-node/bin/libonnxruntime_providers_shared.so');
    expect(windowMessage('failed: D:\\a\\_work\\1\\s\\onnxruntime\\core\\session\\inference_session.cc(1234) bad graph')).toBe('failed: bad graph');
    expect(windowMessage('[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions')).toBe('[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions');
  });

  it('shows paths in the install folder from there and keeps the user\'s own', () => {
    expect(windowMessage('model /opt/Hark/resources/models/hark-en/model.json: cannot read; see /home/ann/clip.wav', '/opt/Hark/resources'))
      .toBe('model <Hark>/models/hark-en/model.json: cannot read; see /home/ann/clip.wav');
    expect(windowMessage('/opt/Hark/resourcesX/a', '/opt/Hark/resources')).toBe('/opt/Hark/resourcesX/a');
    expect(toWireError(Object.assign(new Error('/opt/h/x.onnx: bad'), { name: 'ModelPackageError' }), '/opt/h')).toEqual({ name: 'ModelPackageError', message: '<Hark>/x.onnx: bad' });
    expect(toWireError('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});
