/**
 * Checks that a package graph (model.onnx or model.stream.onnx) holds the weights its metadata
 * declares. A float package (no metadata.quantization) has operators of the default domain only.
 * An int8 package (quantization.weights "int8", int8-weights.ts) imports com.microsoft opset 1; its
 * recurrent nodes are all DynamicQuantizeLSTM and its output projection one DynamicQuantizeMatMul,
 * each reading int8 weights of the architecture's shapes, finite positive float scales and zero
 * points of 0 (the symmetric scheme Hark writes), so a truncated or hand-edited graph is refused
 * before onnxruntime sees it.
 */
import { isInt8Model, type ArchitectureSpec, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { ACTIVATIONS } from './recurrent-ops.ts';
import { CONTRIB_DOMAIN, QUANTIZED_LSTM_OP, QUANTIZED_MATMUL_OP, transposeStacked } from './int8-layout.ts';
import type { ModelProto, NodeProto, TensorProto } from './onnx-proto.ts';
import { floatTensorData, int8TensorData } from './onnx-tensor-data.ts';
import { checkFloatGraphOperators, DEFAULT_DOMAINS } from './float-graph-check.ts';

const FLOAT_MATMUL_OPS = new Set(['LSTM', 'GRU', 'RNN', 'MatMul', 'Gemm']);

/** One DynamicQuantizeLSTM node's weights, dequantized into the ONNX LSTM layout. */
export interface Int8LstmWeights {
  node: NodeProto;
  dirs: number;
  inputSize: number;
  /** [dirs, 4H, inputSize] (q * scale, transposed back from DynamicQuantizeLSTM's [dirs, inputSize, 4H]). */
  W: Float32Array;
  /** [dirs, 4H, H] */
  R: Float32Array;
  /** [dirs, 8H], or zeros when the node has no bias. */
  B: Float32Array;
}

/** The dequantized weights of an int8 graph, in node order. */
export interface Int8GraphWeights {
  lstm: Int8LstmWeights[];
  /** The output projection: kernel [dirs * H, numUnits] (dequantized), bias [numUnits]. */
  output: { kernel: Float32Array; bias: Float32Array };
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array(0));

/**
 * Dequantizes int8 `q` [count, rows, cols] with scales [count, cols]; checks scales and zero points.
 * With `values` false it only checks (and returns an empty array): loading a package needs no weights.
 */
function dequantize(q: Int8Array, scale: Float32Array, zero: Int8Array, count: number, rows: number, cols: number, what: string, values: boolean): Float32Array {
  for (let i = 0; i < scale.length; i++) {
    if (!(Number.isFinite(scale[i]) && scale[i] > 0)) throw new Error(`${what} scale ${scale[i]} at index ${i} is not a finite positive number`);
  }
  const nonzero = zero.findIndex((z) => z !== 0);
  if (nonzero >= 0) throw new Error(`${what} zero point ${zero[nonzero]} at index ${nonzero}: Hark's int8 weights are symmetric (zero point 0)`);
  if (!values) return new Float32Array(0);
  const out = new Float32Array(q.length);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[(n * rows + r) * cols + c] = q[(n * rows + r) * cols + c] * scale[n * cols + c];
  }
  return out;
}

/**
 * Reads and checks the int8 weights of `model`'s graph against `spec`; throws an Error naming the
 * node and tensor at fault. `what` prefixes messages (e.g. the file).
 */
export function int8GraphWeights(model: ModelProto, spec: ArchitectureSpec, what: string): Int8GraphWeights {
  return readInt8GraphAs(model, spec, true, what);
}

/** readInt8Graph with its errors prefixed by `what`. */
function readInt8GraphAs(model: ModelProto, spec: ArchitectureSpec, values: boolean, what: string): Int8GraphWeights {
  try {
    return readInt8Graph(model, spec, values);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

function readInt8Graph(model: ModelProto, spec: ArchitectureSpec, values: boolean): Int8GraphWeights {
  const fail = (msg: string): never => { throw new Error(msg); };
  if (!(model.opsetImport ?? []).some((o) => o.domain === CONTRIB_DOMAIN)) fail(`an int8 graph must import the "${CONTRIB_DOMAIN}" opset`);
  if (spec.cell !== 'lstm') fail(`int8 graphs are LSTM only, the metadata's cell is "${spec.cell}"`);
  const graph = model.graph ?? fail('the model has no graph');
  const init = new Map<string, TensorProto>((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const tensorOf = (n: NodeProto, i: number, role: string): TensorProto => {
    const name = n.input[i];
    if (!name) fail(`node "${n.name ?? ''}" has no ${role} input (input ${i})`);
    return init.get(name) ?? fail(`node "${n.name ?? ''}": ${role} "${name}" is not an initializer`);
  };
  const nodes = graph.node ?? [];
  for (const n of nodes) {
    const domain = n.domain ?? '';
    if (domain === CONTRIB_DOMAIN) {
      if (n.opType !== QUANTIZED_LSTM_OP && n.opType !== QUANTIZED_MATMUL_OP) fail(`node "${n.name ?? ''}": ${CONTRIB_DOMAIN} operator ${n.opType} is not one Hark's int8 graphs use`);
    } else if (!DEFAULT_DOMAINS.has(domain)) {
      fail(`node "${n.name ?? ''}": operator domain "${domain}" is not supported`);
    } else if (FLOAT_MATMUL_OPS.has(n.opType)) {
      fail(`node "${n.name ?? ''}" is a float ${n.opType}: in an int8 graph every LSTM is ${QUANTIZED_LSTM_OP} and the output projection ${QUANTIZED_MATMUL_OP}`);
    }
  }
  const H = spec.hidden;
  const modelDirs = spec.bidirectional ? 2 : 1;
  const lstm = nodes.filter((n) => n.opType === QUANTIZED_LSTM_OP).map((n): Int8LstmWeights => {
    const at = `${QUANTIZED_LSTM_OP} "${n.name ?? ''}"`;
    const attrs = n.attribute ?? [];
    for (const a of attrs) if (!['hidden_size', 'direction', 'activations'].includes(a.name)) fail(`${at}: attribute "${a.name}" is not supported`);
    const hidden = attrs.find((a) => a.name === 'hidden_size')?.i;
    if (hidden !== H) fail(`${at}: hidden_size ${String(hidden)}, the metadata says ${H}`);
    const direction = text(attrs.find((a) => a.name === 'direction')?.s) || 'forward';
    if (!['forward', 'reverse', 'bidirectional'].includes(direction)) fail(`${at}: direction "${direction}"`);
    const dirs = direction === 'bidirectional' ? 2 : 1;
    const acts = (attrs.find((a) => a.name === 'activations')?.strings ?? []).map(text);
    const wantActs = Array.from({ length: dirs }, () => ACTIVATIONS.lstm).flat();
    if (acts.length && acts.join(',') !== wantActs.join(',')) fail(`${at}: activations [${acts.join(', ')}], expected [${wantActs.join(', ')}]`);
    if (n.input.length !== 12) fail(`${at}: ${n.input.length} inputs, expected 12 (X, W, R, B, sequence_lens, initial_h, initial_c, P, W_scale, W_zero_point, R_scale, R_zero_point)`);
    if (n.input[4] || n.input[7]) fail(`${at}: sequence lengths and peepholes are not supported`);
    const wT = tensorOf(n, 1, 'W');
    const inputSize = wT.dims?.[1] ?? 0;
    if (inputSize !== spec.inputDim && inputSize !== modelDirs * H) fail(`${at}: W input size ${inputSize}, expected ${spec.inputDim} (first layer) or ${modelDirs * H}`);
    const gh = 4 * H;
    const wq = int8TensorData(wT, [dirs, inputSize, gh], `${at} W`);
    const rq = int8TensorData(tensorOf(n, 2, 'R'), [dirs, H, gh], `${at} R`);
    const scaleDims = [dirs, gh];
    const W = dequantize(wq, floatTensorData(tensorOf(n, 8, 'W_scale'), scaleDims, `${at} W_scale`), int8TensorData(tensorOf(n, 9, 'W_zero_point'), scaleDims, `${at} W_zero_point`), dirs, inputSize, gh, `${at} W`, values);
    const R = dequantize(rq, floatTensorData(tensorOf(n, 10, 'R_scale'), scaleDims, `${at} R_scale`), int8TensorData(tensorOf(n, 11, 'R_zero_point'), scaleDims, `${at} R_zero_point`), dirs, H, gh, `${at} R`, values);
    const B = n.input[3] ? floatTensorData(tensorOf(n, 3, 'B'), [dirs, 2 * gh], `${at} B`) : new Float32Array(dirs * 2 * gh);
    if (!values) return { node: n, dirs, inputSize, W, R, B };
    return { node: n, dirs, inputSize, W: transposeStacked(W, dirs, inputSize, gh), R: transposeStacked(R, dirs, H, gh), B };
  });
  if (lstm.length < spec.layers) fail(`${lstm.length} ${QUANTIZED_LSTM_OP} nodes, the metadata says ${spec.layers} layers`);
  const matmuls = nodes.filter((n) => n.opType === QUANTIZED_MATMUL_OP);
  if (matmuls.length !== 1) fail(`${matmuls.length} ${QUANTIZED_MATMUL_OP} nodes, expected exactly one (the output projection)`);
  const [mm] = matmuls;
  const at = `${QUANTIZED_MATMUL_OP} "${mm.name ?? ''}"`;
  if (mm.input.length !== 5 || mm.output.length !== 1) fail(`${at}: expected inputs (A, B, b_scale, b_zero_point, bias) and one output`);
  const K = modelDirs * H, U = spec.numUnits;
  const kq = int8TensorData(tensorOf(mm, 1, 'B'), [K, U], `${at} B`);
  const kernel = dequantize(kq, floatTensorData(tensorOf(mm, 2, 'b_scale'), [U], `${at} b_scale`), int8TensorData(tensorOf(mm, 3, 'b_zero_point'), [U], `${at} b_zero_point`), 1, K, U, `${at} B`, values);
  const bias = floatTensorData(tensorOf(mm, 4, 'bias'), [U], `${at} bias`);
  return { lstm, output: { kernel, bias } };
}

/**
 * Throws an Error (prefixed by `what`) unless the graph's operators match the precision
 * `metadata` declares (see the file comment).
 */
export function checkGraphPrecision(model: ModelProto, metadata: ModelMetadata, what: string): void {
  if (isInt8Model(metadata)) {
    readInt8GraphAs(model, metadata.architecture, false, what);
    return;
  }
  checkFloatGraphOperators(model, what);
}
