// Writes a float model package again under another version name (the graphs embed the card, so
// model.json alone cannot be edited): the weights are read from SRC's model.onnx and written to OUT.
// Run: node bin/run-ts.mjs tools/rename-model-version.ts SRC OUT VERSION
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { readAcousticWeights } from '../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../src-main/model/write-model.ts';

const [src, out, version] = process.argv.slice(2);
if (!src || !out || !version) {
  console.error('usage: node bin/run-ts.mjs tools/rename-model-version.ts SRC OUT VERSION');
  process.exit(2);
}
const pkg = await loadModelPackage(src);
if (pkg.metadata.quantization) throw new Error(`${src} holds int8 weights: rename its float reference and export it again with --int8`);
await exportOnnxModel(readAcousticWeights(pkg.onnx), { ...pkg.metadata, version }, out);
const written = await loadModelPackage(out);
console.log(`${out}: ${written.metadata.name} ${written.metadata.version}`);
