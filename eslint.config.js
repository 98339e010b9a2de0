// Lint configuration. The layering rules below are the project's architecture (DESIGN.md):
// do not relax them; move the code instead.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'stream', 'events', 'util', 'http', 'net', 'zlib', 'module', 'process', 'buffer', 'readline', 'perf_hooks', 'assert'];
const nodeModulePatterns = [...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`), 'node:*'];
const tfjs = ['@tensorflow/*', '@tensorflow/**'];
const ort = ['onnxruntime-node', 'onnxruntime-*'];

/** Builds a no-restricted-imports rule from groups of forbidden patterns with a message each. */
function forbid(...groups) {
  return ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }];
}

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
  // One entry per file set: flat config replaces (not merges) a rule set twice for the same file.
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/engine/**', 'src-main/train/**'],
    rules: {
      'no-restricted-imports': forbid(
        [ort, 'onnxruntime-node is used only under src-main/engine.'],
        [tfjs, 'tfjs is used only under src-main/train.'],
      ),
    },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([tfjs, 'tfjs is used only under src-main/train.']),
    },
  },
  {
    files: ['src-main/train/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([ort, 'onnxruntime-node is used only under src-main/engine.']),
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'dist-renderer/**', 'out/**', 'runs/**', 'data/**', 'models/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...layering,
);
