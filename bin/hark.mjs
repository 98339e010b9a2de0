#!/usr/bin/env node
// Entry point of the `hark` command: runs the CLI bundle (dist-cli/, JavaScript built by esbuild
// from src-main/cli/main.ts), never TypeScript. bin/cli-bundle.mjs checks that the bundle was built
// from the sources as they are now, and rebuilds it first when not (the first run after a clone,
// or after an edit), saying so on stderr.
import { pathToFileURL } from 'node:url';
import { cliBundle } from './cli-bundle.mjs';

let entry;
try {
  entry = await cliBundle((line) => process.stderr.write(`hark: ${line}\n`));
} catch (err) {
  process.stderr.write(`hark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
