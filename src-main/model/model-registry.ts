/**
 * The installed model packages: the shipped ones (<package root>/models/<name>/) and the user's
 * own (<user data>/models/<name>/). A folder counts when it holds a model.json whose metadata
 * this build accepts (checkModelMetadata); a folder whose model.json it does not accept is listed
 * in `broken` with the reason, and never stops the listing of the others.
 */
import { readTextCapped } from '../system/read-capped.ts';
import { JsonSyntaxError, parseJson } from '../system/parse-json.ts';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrokenModel, ModelInfo } from '../../src-shared/ipc/app-contract.ts';
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import { checkModelMetadata } from './model-package.ts';
import { architectureParameters } from './weights.ts';
import { JSON_FILE, MAX_JSON_BYTES, ONNX_FILE, STREAM_ONNX_FILE } from './package-files.ts';

/** The summary the app shows for a package (from its metadata and file sizes). */
export async function describeModel(dir: string, metadata: ModelMetadata, shipped: boolean): Promise<ModelInfo> {
  const a = metadata.architecture;
  const t = metadata.training ?? {};
  const params = `, ${(architectureParameters(a) / 1e6).toFixed(2)} M parameters`;
  const cell = a.cell.toUpperCase();
  let bytes = 0;
  for (const f of [ONNX_FILE, STREAM_ONNX_FILE]) {
    try {
      bytes += (await stat(join(dir, f))).size;
    } catch {
      // A package without its streaming graph is still listed; loading it reports the problem.
    }
  }
  const parts: string[] = [];
  if (typeof t.audioHours === 'number') parts.push(`${t.audioHours.toFixed(1)} h of synthesized speech`);
  if (typeof t.clips === 'number') parts.push(`${t.clips} clips`);
  const adapted = t.adaptation as { realMinutes?: unknown; realSpeakers?: unknown } | undefined;
  if (typeof adapted?.realMinutes === 'number' && typeof adapted.realSpeakers === 'number') {
    parts.push(`adapted on ${Math.round(adapted.realMinutes)} min of real speech from ${adapted.realSpeakers} speakers`);
  }
  if (Array.isArray(t.heldoutVoices)) parts.push(`${t.heldoutVoices.length} voices held out`);
  return {
    dir,
    name: metadata.name,
    version: metadata.version,
    createdAt: metadata.createdAt,
    architecture: `${a.layers}x${a.hidden} ${a.bidirectional ? 'bidirectional' : 'unidirectional'} ${cell}${params}`,
    sizeMB: Math.round((bytes / 1024 / 1024) * 10) / 10,
    chunkFrames: metadata.streaming?.chunkFrames ?? 0,
    lookaheadFrames: metadata.streaming?.lookaheadFrames ?? 0,
    trainingSummary: parts.join(', '),
    shipped,
  };
}

/** Reads and checks one folder's model.json. */
export async function readModelInfo(dir: string, shipped: boolean): Promise<ModelInfo> {
  const jsonPath = join(dir, JSON_FILE);
  let metadata: unknown;
  try {
    metadata = parseJson(await readTextCapped(jsonPath, MAX_JSON_BYTES, 'a model card (model.json)'));
  } catch (e) {
    throw e instanceof JsonSyntaxError ? new Error(`${jsonPath}: ${e.message}`) : e;
  }
  checkModelMetadata(metadata, jsonPath);
  return describeModel(resolve(dir), metadata, shipped);
}

/** Every usable package under the given roots (shipped first), and the folders whose card is not usable. */
export async function listModels(roots: readonly { dir: string; shipped: boolean }[]): Promise<{ models: ModelInfo[]; broken: BrokenModel[] }> {
  const models: ModelInfo[] = [];
  const broken: BrokenModel[] = [];
  for (const root of roots) {
    let names: string[];
    try {
      // Dot-folders are not packages: an import being staged, or one a killed process left behind.
      names = (await readdir(root.dir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(root.dir, name);
      try {
        await stat(join(dir, JSON_FILE));
      } catch {
        continue; // not a model folder (e.g. models/lm)
      }
      try {
        models.push(await readModelInfo(dir, root.shipped));
      } catch (e) {
        broken.push({ dir: resolve(dir), reason: (e as Error).message });
      }
    }
  }
  return { models, broken };
}
