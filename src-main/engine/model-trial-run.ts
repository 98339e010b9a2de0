/**
 * A trial run of a model package before it is installed (model-install.ts importModel calls it on
 * the staged copy): both onnxruntime sessions are built, for model.onnx and model.stream.onnx,
 * and one chunk of zeros (chunkFrames + lookaheadFrames model frames) runs through each. A
 * package whose graphs onnxruntime cannot load or run (nodes removed, weights truncated), that
 * has no streaming graph, or whose metadata does not describe its graphs (a state size, a cell
 * type, a unit count), is refused with a ModelPackageError naming the graph. The outputs must be
 * log-probabilities: [rows, numUnits], finite, each row's exponentials summing to 1.
 */
import { join } from 'node:path';
import { loadModelPackage, ModelMismatchError, ModelPackageError, type ModelPackage } from '../model/model-package.ts';
import { STREAM_ONNX_FILE } from '../model/package-files.ts';
import { OfflineAcousticSession } from './offline-acoustic-session.ts';
import { OnlineAcousticSession } from './online-acoustic-session.ts';

/** How far a row of exp(logprobs) may sum from 1 (float32 log-softmax is far closer). */
const ROW_SUM_TOLERANCE = 1e-3;

/** Why `logprobs` is not `rows` rows of log-softmax over `units`, or null. */
function logprobsProblem(logprobs: Float32Array, rows: number, units: number): string | null {
  if (logprobs.length !== rows * units) return `it gave ${logprobs.length} values for ${rows} frames of ${units} units`;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let u = 0; u < units; u++) {
      const v = logprobs[r * units + u];
      if (!Number.isFinite(v)) return `it gave ${v} in frame ${r}`;
      sum += Math.exp(v);
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) return `frame ${r}'s probabilities sum to ${sum.toFixed(4)}, not 1 (the output is not a log-softmax)`;
  }
  return null;
}

/** Runs `trial` on a graph; any failure becomes a ModelMismatchError naming `path`. */
async function onGraph(path: string, trial: () => Promise<string | null>): Promise<void> {
  let problem: string | null;
  try {
    problem = await trial();
  } catch (e) {
    if (e instanceof ModelPackageError) throw e;
    problem = `onnxruntime cannot run it: ${(e as Error).message}`;
  }
  if (problem !== null) throw new ModelMismatchError(path, `a chunk of zeros does not run through this graph as its metadata describes: ${problem}`);
}

/** Builds both sessions of `pkg` and runs one chunk of zeros through each; throws ModelPackageError. */
export async function trialRunPackage(pkg: ModelPackage): Promise<void> {
  const { inputDim: D, numUnits: U, layers, hidden } = pkg.architecture;
  const chunk = pkg.metadata.streaming?.chunkFrames ?? 1;
  const lookahead = pkg.metadata.streaming?.lookaheadFrames ?? 0;
  const frames = chunk + lookahead;
  const offline = await OfflineAcousticSession.create(pkg, { threads: 1 });
  try {
    await onGraph(pkg.onnxPath, async () => logprobsProblem(await offline.run({ data: new Float32Array(frames * D), frames, dim: D }), frames, U));
  } finally {
    await offline.release();
  }
  const online = await OnlineAcousticSession.create(pkg, { threads: 1 });
  try {
    await onGraph(join(pkg.dir, STREAM_ONNX_FILE), async () => {
      const out = await online.runChunk(new Float32Array(chunk * D), new Float32Array(lookahead * D), online.initialState());
      if (out.state.h.length !== layers * hidden) return `its next state holds ${out.state.h.length} values, not layers x hidden = ${layers * hidden}`;
      return logprobsProblem(out.logprobs, frames, U);
    });
  } finally {
    await online.release();
  }
}

/** Loads the package in `dir` (loadModelPackage) and trial-runs it (trialRunPackage). */
export async function trialRunModelPackage(dir: string): Promise<void> {
  await trialRunPackage(await loadModelPackage(dir));
}
