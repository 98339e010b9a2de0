// Module resolution hooks registered by no-typescript-at-run-time.mjs (Node's module.register):
// runs off the importing thread, so it reports by appending to a file.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data?.log;
}

export async function resolve(specifier, context, nextResolve) {
  if (/^tsx(\/|$)/.test(specifier)) throw new Error(`TypeScript loader imported at run time: ${specifier} (from ${context.parentURL})`);
  const resolved = await nextResolve(specifier, context);
  if (/\.[cm]?tsx?$/.test(new URL(resolved.url).pathname)) throw new Error(`TypeScript file imported at run time: ${resolved.url}`);
  if (log && resolved.url.startsWith('file:')) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
