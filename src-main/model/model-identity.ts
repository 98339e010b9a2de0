/**
 * A model version as a job queue names it: the registry's name and version (model.json) and the
 * SHA-256 of the package's files, so two machines agree they run the same model only when every
 * byte recognition depends on is the same. The hash covers model.json, model.onnx and
 * model.stream.onnx, in that order, each as "<file name>\n<its own SHA-256>\n".
 */
import { join } from 'node:path';
import { sha256, sha256File } from '../system/sha256.ts';
import { readModelInfo } from './model-registry.ts';
import { JSON_FILE, ONNX_FILE, STREAM_ONNX_FILE } from './package-files.ts';

export interface ModelIdentity {
  name: string;
  version: string;
  /** Hex SHA-256 over the package's files (see above). */
  sha256: string;
}

/** The identity of the package in `dir`; throws when its model.json is not one this build accepts or a file is missing. */
export async function modelIdentity(dir: string): Promise<ModelIdentity> {
  const info = await readModelInfo(dir, false);
  const parts: string[] = [];
  for (const file of [JSON_FILE, ONNX_FILE, STREAM_ONNX_FILE]) parts.push(`${file}\n${await sha256File(join(dir, file))}\n`);
  return { name: info.name, version: info.version, sha256: sha256(parts.join('')) };
}

/** "hark-en 2026-12-05 (sha256 0123456789ab)": how messages name a model version. */
export function describeModelIdentity(m: ModelIdentity): string {
  return `${m.name} ${m.version} (sha256 ${m.sha256.slice(0, 12)})`;
}
