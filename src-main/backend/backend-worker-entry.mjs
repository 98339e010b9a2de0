// Worker entry when running from source (tests, `hark app-server`): registers tsx's loader so the
// worker can run the TypeScript backend. The desktop build bundles backend-worker.ts instead.
import { register } from 'tsx/esm/api';
register();
await import('./backend-worker.ts');
