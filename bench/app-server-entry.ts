// Entry of the bundled `hark app-server` that bench/app.bench.ts measures idle memory with
// (bundled like the desktop app, so no TypeScript loader runs in either thread).
import { appServerCommand } from '../src-main/cli/app-server-command.ts';

process.exitCode = await appServerCommand(process.argv.slice(2));
