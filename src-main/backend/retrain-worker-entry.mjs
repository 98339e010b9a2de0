// Worker entry when running from source (tests, `hark app-server`): registers tsx's loader so the
// worker can run the TypeScript retraining worker. The desktop build bundles retrain-worker.ts.
import { register } from 'tsx/esm/api';
register();
await import('./retrain-worker.ts');
