// Lint configuration. The layering rules below are the project's architecture (DESIGN.md):
// do not relax them; move the code instead.
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'stream', 'events', 'util', 'http', 'net', 'zlib', 'module', 'process', 'buffer', 'readline', 'perf_hooks', 'assert'];
const nodeModulePatterns = [...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`), 'node:*'];
const tfjs = ['@tensorflow/*', '@tensorflow/**'];
const ort = ['onnxruntime-node', 'onnxruntime-*'];

/** Builds a no-restricted-imports rule from groups of forbidden patterns with a message each. */
function forbid(...groups) {
  return ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }];
}

/**
 * Layer of each src-main folder, bottom up (src-main/layers.json; tests/unit/architecture-layers.test.ts
 * reads the same file): a folder imports only folders of lower layers (and src-shared), never one of
 * its own layer or above, so no two folders import each other.
 */
export const SRC_MAIN_LAYERS = JSON.parse(readFileSync(new URL('./src-main/layers.json', import.meta.url), 'utf8'));

export const layering = [
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [nodeModulePatterns, 'src-shared runs in the renderer and in training: no Node modules.'],
        [['electron', 'electron/*'], 'src-shared must not import Electron.'],
        [['**/src-main/**', '**/src-renderer/**'], 'src-shared imports nothing from src-main or src-renderer.'],
        [[...tfjs, ...ort], 'src-shared must not import tfjs or onnxruntime.'],
      ),
    },
  },
  {
    files: ['src-renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [nodeModulePatterns, 'The renderer never imports Node modules; use the preload API.'],
        [['**/src-main/**'], 'The renderer talks to the main process only through the preload API.'],
        [[...tfjs, ...ort], 'The renderer must not import tfjs or onnxruntime.'],
      ),
    },
  },
  // src-main: one entry per folder (flat config replaces, not merges, a rule set twice for the same
  // file), each listing the folders of the layers it may not import, plus the runtime rules.
  ...Object.keys(SRC_MAIN_LAYERS).map((folder) => {
    const layer = SRC_MAIN_LAYERS[folder];
    const above = Object.keys(SRC_MAIN_LAYERS).filter((f) => f !== folder && SRC_MAIN_LAYERS[f] >= layer);
    const below = Object.keys(SRC_MAIN_LAYERS).filter((f) => SRC_MAIN_LAYERS[f] < layer);
    const groups = [];
    if (above.length) {
      groups.push([[...above.map((f) => `**/${f}/**`), '!**/src-shared/**'], `src-main/${folder} (layer ${layer}) imports only lower layers${below.length ? `: ${below.join(', ')}` : ' (none)'} and src-shared.`]);
    }
    if (folder !== 'engine') groups.push([ort, 'onnxruntime-node is used only under src-main/engine.']);
    if (folder !== 'train') groups.push([tfjs, 'tfjs is used only under src-main/train.']);
    return { files: [`src-main/${folder}/**/*.ts`], rules: { 'no-restricted-imports': forbid(...groups) } };
  }),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'dist-cli/**', 'dist-renderer/**', 'out/**', 'runs/**', 'data/**', 'models/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...layering,
);
