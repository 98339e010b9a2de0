// Preload for tests (`node --import ./tests/helpers/no-typescript-at-run-time.mjs ...`): fails any
// import of tsx or of a TypeScript file, and appends every file URL that resolves to the file named
// by HARK_TEST_LOAD_LOG. Worker threads inherit --import, so it covers them too.
import { register } from 'node:module';

register('./no-typescript-hooks.mjs', import.meta.url, { data: { log: process.env.HARK_TEST_LOAD_LOG } });
