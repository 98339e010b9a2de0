/**
 * The layering rules of eslint.config.js (DESIGN.md "Layering") have tests of their own, so that
 * a relaxed rule is noticed: each forbidden import is reported, each allowed one is not.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** An import line for the linted snippets (written so that the repository's own import scan skips it). */
const importFrom = (spec: string) => `import { x } from '${spec}';`;

describe('layering lint rules', () => {
  const forbidden: [string, string, RegExp][] = [
    ['src-shared/features/x.ts', "import { readFileSync } from 'node:fs';", /no Node modules/],
    ['src-shared/features/x.ts', "import * as path from 'path';", /no Node modules/],
    ['src-shared/units/x.ts', "import { y } from '../../src-main/lexicon/lexicon.ts';", /imports nothing from src-main/],
    ['src-shared/ipc/x.ts', "import * as tf from '@tensorflow/tfjs';", /tfjs or onnxruntime/],
    ['src-renderer/x.ts', "import { spawn } from 'node:child_process';", /never imports Node modules/],
    ['src-renderer/x.ts', "import * as ort from 'onnxruntime-node';", /tfjs or onnxruntime/],
    ['src-renderer/x.ts', "import { z } from '../src-main/engine/offline-acoustic-session.ts';", /preload API/],
    ['src-main/cli/x.ts', "import * as ort from 'onnxruntime-node';", /only under src-main\/engine/],
    ['src-main/decode/x.ts', "import * as tf from '@tensorflow/tfjs';", /only under src-main\/train/],
    ['src-main/engine/x.ts', "import * as tf from '@tensorflow/tfjs-node';", /only under src-main\/train/],
    ['src-main/train/x.ts', "import * as ort from 'onnxruntime-node';", /only under src-main\/engine/],
    ['src-main/model/x.ts', "import * as tf from '@tensorflow/tfjs';", /only under src-main\/train/],
    // The layer order of src-main/layers.json: above, and the same layer, are refused.
    ['src-main/engine/x.ts', importFrom('../backend/app-backend.ts'), /src-main\/engine \(layer 4\) imports only lower layers/],
    ['src-main/audio/x.ts', importFrom('../lexicon/lexicon.ts'), /src-main\/audio \(layer 1\)/],
    ['src-main/decode/x.ts', importFrom('../model/weights.ts'), /src-main\/decode \(layer 3\)/],
    ['src-main/system/x.ts', importFrom('../math/log-math.ts'), /src-main\/system \(layer 0\) imports only lower layers \(none\)/],
    ['src-main/train/data/real/x.ts', importFrom('../../../cli/main.ts'), /src-main\/train \(layer 5\)/],
    // The job queue shares the backend's layer: neither imports the other, and both stay below the CLI.
    ['src-main/queue/x.ts', importFrom('../backend/app-backend.ts'), /src-main\/queue \(layer 6\)/],
    ['src-main/queue/x.ts', importFrom('../cli/main.ts'), /src-main\/queue \(layer 6\)/],
    ['src-main/engine/x.ts', importFrom('../queue/queue-worker.ts'), /src-main\/engine \(layer 4\)/],
  ];
  for (const [file, code, message] of forbidden) {
    it(`reports ${code} in ${file}`, async () => {
      const msgs = await ruleMessages(file, `${code}\nexport {};\n`);
      expect(msgs.some((m) => message.test(m))).toBe(true);
    });
  }

  const allowed: [string, string][] = [
    ['src-main/engine/x.ts', "import * as ort from 'onnxruntime-node';"],
    ['src-main/train/x.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['src-main/audio/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['src-main/engine/x.ts', importFrom('../decode/ctc-forward.ts')],
    ['src-main/cli/x.ts', importFrom('../backend/app-backend.ts')],
    ['src-main/cli/x.ts', importFrom('../queue/queue-worker.ts')],
    ['src-main/queue/x.ts', importFrom('../engine/offline-recognizer-pool.ts')],
    ['src-main/train/data/x.ts', importFrom('../../audio/index.ts')],
    ['src-main/decode/x.ts', importFrom('../../src-shared/units/phonemes.ts')],
    // src-shared has folders named like src-main's (model/): they are not src-main's layers.
    ['src-main/audio/x.ts', importFrom('../../src-shared/model/model-metadata.ts')],
    ['src-renderer/x.ts', "import { computeFeatures } from '../src-shared/features/index.ts';"],
    ['src-shared/features/x.ts', "import Meyda from 'meyda';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows ${code} in ${file}`, async () => {
      expect(await ruleMessages(file, `${code}\nexport {};\n`)).toEqual([]);
    });
  }
});
