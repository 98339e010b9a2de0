// Worker entry: registers tsx's loader so the worker can run the TypeScript data worker.
import { register } from 'tsx/esm/api';
register();
await import('./data-worker.ts');
