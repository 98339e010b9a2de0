// Writes a model package again under another version name (the graphs embed the card, so
// model.json alone cannot be edited): rewriteModelPackage from SRC into OUT.
// Run: node bin/run-ts.mjs tools/rename-model-version.ts SRC OUT VERSION
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { rewriteModelPackage } from '../src-main/model/write-model.ts';

const [src, out, version] = process.argv.slice(2);
if (!src || !out || !version) {
  console.error('usage: node bin/run-ts.mjs tools/rename-model-version.ts SRC OUT VERSION');
  process.exit(2);
}
const pkg = await loadModelPackage(src);
await rewriteModelPackage(pkg, { ...pkg.metadata, version }, out);
const written = await loadModelPackage(out);
console.log(`${out}: ${written.metadata.name} ${written.metadata.version}`);
