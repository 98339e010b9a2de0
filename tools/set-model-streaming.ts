// Sets the streaming chunking (metadata.streaming: LC-BLSTM chunk and look-ahead in model frames) of
// the shipped package and its float reference without touching their weights: the streaming graph
// takes any chunk and look-ahead length, and the package's pair is what a stream uses unless it asks
// for another (the app's Settings -> Chunk frames 0 = the model's). Both graphs embed the card, so
// both are written again (restampModelMetadata); the int8 parity test still holds the shipped graphs
// to the int8 export of the float reference.
// Run: node bin/run-ts.mjs tools/set-model-streaming.ts CHUNK LOOKAHEAD [DIR ...]   (default: models/hark-en models-float/hark-en)
import { DEFAULT_MODEL_DIR, FLOAT_REFERENCE_DIR } from '../src-main/model/package-paths.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { restampModelMetadata } from '../src-main/model/write-model.ts';

const [chunkArg, lookaheadArg, ...dirs] = process.argv.slice(2);
const chunkFrames = Number(chunkArg), lookaheadFrames = Number(lookaheadArg);
if (!Number.isInteger(chunkFrames) || chunkFrames < 1 || !Number.isInteger(lookaheadFrames) || lookaheadFrames < 0) {
  console.error('usage: node bin/run-ts.mjs tools/set-model-streaming.ts CHUNK LOOKAHEAD [DIR ...]  (integers, CHUNK >= 1, LOOKAHEAD >= 0)');
  process.exit(2);
}
for (const dir of dirs.length ? dirs : [DEFAULT_MODEL_DIR, FLOAT_REFERENCE_DIR]) {
  const pkg = await loadModelPackage(dir);
  await restampModelMetadata(dir, { ...pkg.metadata, streaming: { chunkFrames, lookaheadFrames } });
  const written = await loadModelPackage(dir);
  console.log(`${dir}: ${written.metadata.name} ${written.metadata.version}, chunks of ${written.metadata.streaming!.chunkFrames} frames, look-ahead ${written.metadata.streaming!.lookaheadFrames}`);
}
