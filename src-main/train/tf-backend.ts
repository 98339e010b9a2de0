/**
 * Chooses the tfjs backend for training: @tensorflow/tfjs-node when its native library is
 * present (it is an optionalDependency whose install step may not have run), otherwise the
 * WASM backend with the transposed-matmul fix below, otherwise plain JS ('cpu').
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type TensorInfo, type NamedAttrMap } from '@tensorflow/tfjs';
import { installFusedLstmCell } from './lstm-cell-kernel.ts';

export type TrainingBackend = 'tensorflow' | 'wasm' | 'cpu';

let fixInstalled = false;
let sliceFixInstalled = false;

/**
 * XNNPACK's matmul in tfjs-backend-wasm is fast only for untransposed operands: measured here
 * on 512x512, 6.5 ms plain vs 77 ms with transposeB and 250 ms with transposeA — and
 * backpropagation through a matmul uses exactly the transposed forms (dA = dY·Bᵀ, dB = Aᵀ·dY).
 * This replaces the wasm BatchMatMul kernel with one that materializes the transposes with the
 * wasm Transpose kernel (a memory copy) and then runs the fast untransposed product.
 */
export function installWasmTransposedMatMulFix(): void {
  if (fixInstalled) return;
  const original = getKernel('BatchMatMul', 'wasm');
  const transposeKernel = getKernel('Transpose', 'wasm');
  if (!original || !transposeKernel) throw new Error('tfjs wasm backend kernels BatchMatMul/Transpose not registered');
  const swapLast = (rank: number): number[] => [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const fixed: KernelConfig = {
    ...original,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const temps: TensorInfo[] = [];
      const materialize = (x: TensorInfo): TensorInfo => {
        const t = transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLast(x.shape.length) } }) as TensorInfo;
        temps.push(t);
        return t;
      };
      const a = transposeA ? materialize(inputs.a!) : inputs.a!;
      const b = transposeB ? materialize(inputs.b!) : inputs.b!;
      const plainAttrs = { ...attrs, transposeA: false, transposeB: false } as unknown as NamedAttrMap;
      const out = original.kernelFunc({ inputs: { a, b }, backend, attrs: plainAttrs });
      const disposer = backend as unknown as { disposeData(id: object): void };
      for (const t of temps) disposer.disposeData(t.dataId);
      return out;
    },
  };
  unregisterKernel('BatchMatMul', 'wasm');
  registerKernel(fixed);
  fixInstalled = true;
}

/** What Hark's kernels use of the wasm backend (not in its public types). */
export interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(id: object): void;
}

/**
 * Copies a slice through views of the wasm heap. tfjs-backend-wasm's Slice (and Unpack, which
 * calls it per output) first copies the WHOLE source tensor out of the heap (readSync) for every
 * slice, so unstacking [T, B, D] over time costs T full copies (measured: 357 ms for 120 steps of
 * [32, 512]). Views are taken after makeOutput, which may grow (and so detach) the heap.
 */
function sliceThroughHeap(backend: WasmBackendInternals, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * x.shape[d + 1];
  // Merge trailing dimensions taken whole into one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === x.shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const outer = size.slice(0, inner);
  const count = outer.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(inner).fill(0);
  let o = 0;
  for (let n = 0; n < count; n++) {
    let off = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) off += (begin[d] + idx[d]) * strides[d];
    dst.set(src.subarray(off, off + run), o);
    o += run;
    for (let d = inner - 1; d >= 0; d--) { if (++idx[d] < outer[d]) break; idx[d] = 0; }
  }
  return out;
}

/**
 * Gathers whole rows (axis 0) through views of the wasm heap: the backward direction's reversal
 * within lengths (recurrent-layer.ts) gathers every frame of a [T*B, D] activation, which the wasm
 * kernel did element by element (about 30 ms for 900 x 512 floats; 8% of a 4 x 256 gradient step).
 * A row copy gives the same values; an index out of range is refused, as the kernel does.
 */
function gatherRowsThroughHeap(backend: WasmBackendInternals, x: TensorInfo, indices: TensorInfo): TensorInfo {
  const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = indices.shape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const ids = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < n; i++) {
    const r = ids[i];
    if (!(r >= 0 && r < x.shape[0])) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: index ${r} is not in [0, ${x.shape[0] - 1}]`);
    }
    dst.set(src.subarray(r * row, (r + 1) * row), i * row);
  }
  return out;
}

/** Replaces the wasm Slice and Unpack kernels with heap-view copies (see sliceThroughHeap), and GatherV2 along axis 0 (gatherRowsThroughHeap). */
export function installWasmSliceFix(): void {
  if (sliceFixInstalled) return;
  const sliceCfg = getKernel('Slice', 'wasm');
  const unpackCfg = getKernel('Unpack', 'wasm');
  if (!sliceCfg || !unpackCfg) throw new Error('tfjs wasm backend kernels Slice/Unpack not registered');
  unregisterKernel('Slice', 'wasm');
  registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x!;
      const a = attrs as unknown as { begin: number | number[]; size: number | number[] };
      const rank = x.shape.length;
      const begin = typeof a.begin === 'number' ? [a.begin, ...new Array<number>(rank - 1).fill(0)] : [...a.begin];
      const sizeIn = typeof a.size === 'number' ? [a.size, ...new Array<number>(rank - 1).fill(-1)] : [...a.size];
      const size = sizeIn.map((s, d) => (s === -1 ? x.shape[d] - begin[d] : s));
      if (x.dtype === 'string') return sliceCfg.kernelFunc({ inputs, backend, attrs });
      return sliceThroughHeap(backend as unknown as WasmBackendInternals, x, begin, size);
    },
  });
  unregisterKernel('Unpack', 'wasm');
  registerKernel({
    kernelName: 'Unpack',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const value = inputs.value!;
      let axis = (attrs as unknown as { axis: number }).axis;
      if (axis < 0) axis += value.shape.length;
      const outShape = value.shape.filter((_, d) => d !== axis);
      const begin = new Array<number>(value.shape.length).fill(0);
      const size = [...value.shape];
      size[axis] = 1;
      const outs: TensorInfo[] = [];
      for (let i = 0; i < value.shape[axis]; i++) {
        begin[axis] = i;
        const o = sliceThroughHeap(backend as unknown as WasmBackendInternals, value, begin, size);
        outs.push({ dataId: o.dataId, dtype: o.dtype, shape: outShape });
      }
      return outs;
    },
  });
  const gatherCfg = getKernel('GatherV2', 'wasm');
  if (!gatherCfg) throw new Error('tfjs wasm backend kernel GatherV2 not registered');
  unregisterKernel('GatherV2', 'wasm');
  registerKernel({
    ...gatherCfg,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const a = args.attrs as unknown as { axis: number; batchDims?: number };
      const axis = a.axis < 0 ? a.axis + x.shape.length : a.axis;
      if (axis !== 0 || (a.batchDims ?? 0) !== 0 || x.dtype === 'string' || indices.dtype !== 'int32' || x.shape.length < 1) return gatherCfg.kernelFunc(args);
      return gatherRowsThroughHeap(args.backend as unknown as WasmBackendInternals, x, indices);
    },
  });
  sliceFixInstalled = true;
}

/**
 * Initializes the fastest available backend. `prefer` forces one (used by tests and benchmarks);
 * `fixTransposedMatMul: false` leaves the wasm kernel as shipped (for the "before" benchmark).
 */
export async function initTrainingBackend(opts: { prefer?: TrainingBackend; fixTransposedMatMul?: boolean } = {}): Promise<TrainingBackend> {
  const order: TrainingBackend[] = opts.prefer ? [opts.prefer] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow') {
      try {
        await import('@tensorflow/tfjs-node');
      } catch {
        continue;
      }
    }
    if (name === 'wasm' && opts.fixTransposedMatMul !== false) {
      installWasmTransposedMatMulFix();
      installWasmSliceFix();
      installFusedLstmCell();
    }
    if (await tf.setBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`no tfjs backend could be initialized (tried ${order.join(', ')})`);
}
