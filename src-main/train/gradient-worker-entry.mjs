// Worker entry: registers tsx's loader so the worker can run the TypeScript gradient worker.
import { register } from 'tsx/esm/api';
register();
await import('./gradient-worker.ts');
