/**
 * Checks that an ONNX LSTM / GRU / RNN node computes what AcousticModelWeights can describe:
 * the cell and direction of the architecture, Keras activations (sigmoid gates, tanh), reset
 * applied before the recurrent matmul for GRU, no clipping, no peepholes, zero initial states.
 * ref: https://onnx.ai/onnx/operators/onnx__LSTM.html (GRU, RNN): inputs
 *   X, W, R, B?, sequence_lens?, initial_h?, initial_c? (LSTM), P? (LSTM); "" marks an absent one.
 */
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { ACTIVATIONS, OP_TYPE } from './recurrent-ops.ts';
import type { AttributeProto, NodeProto } from './onnx-proto.ts';

/** Initializer names a recurrent node reads; `bias` is undefined when the node has no B input. */
export interface RecurrentNodeInputs {
  W: string;
  R: string;
  B?: string;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array(0));

/** Attribute value as the operator sees it: `fallback` (the ONNX default) when absent. */
function intAttr(attrs: AttributeProto[], name: string, fallback: number): number {
  const a = attrs.find((x) => x.name === name);
  return a?.i ?? fallback;
}

/**
 * Throws an Error naming the node and the offending attribute or input when `node` is not the
 * recurrent layer `spec` describes; returns the names of its weight inputs.
 */
export function checkRecurrentNode(node: NodeProto, spec: ArchitectureSpec, what: string): RecurrentNodeInputs {
  const fail = (msg: string): never => { throw new Error(`${what} (node "${node.name ?? ''}"): ${msg}`); };
  const expectedOp = OP_TYPE[spec.cell];
  if (node.opType !== expectedOp) fail(`operator ${node.opType}, the metadata's cell "${spec.cell}" needs ${expectedOp}`);
  if (node.domain && node.domain !== 'ai.onnx') fail(`operator domain "${node.domain}", expected the default domain`);

  const attrs = node.attribute ?? [];
  const known = new Set(['hidden_size', 'direction', 'activations', 'activation_alpha', 'activation_beta', 'layout', 'linear_before_reset', 'input_forget']);
  for (const a of attrs) if (!known.has(a.name)) fail(`attribute "${a.name}" is not supported (Hark reads no clip or other extensions)`);
  const hiddenSize = intAttr(attrs, 'hidden_size', spec.hidden);
  if (hiddenSize !== spec.hidden) fail(`hidden_size ${hiddenSize}, the metadata says ${spec.hidden}`);
  const directionAttr = attrs.find((a) => a.name === 'direction');
  const direction = directionAttr ? text(directionAttr.s) : 'forward';
  const expectedDirection = spec.bidirectional ? 'bidirectional' : 'forward';
  if (direction !== expectedDirection) fail(`direction "${direction}", the metadata needs "${expectedDirection}"`);
  const activationsAttr = attrs.find((a) => a.name === 'activations');
  if (activationsAttr) {
    const got = (activationsAttr.strings ?? []).map(text);
    const want = Array.from({ length: spec.bidirectional ? 2 : 1 }, () => ACTIVATIONS[spec.cell]).flat();
    if (got.join(',') !== want.join(',')) fail(`activations [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
  if (intAttr(attrs, 'layout', 0) !== 0) fail('layout must be 0 (time-major)');
  if (intAttr(attrs, 'input_forget', 0) !== 0) fail('input_forget must be 0');
  if (intAttr(attrs, 'linear_before_reset', 0) !== 0) fail('linear_before_reset must be 0 (the Keras GRU applies the reset before the recurrent matmul)');

  const inputs = node.input;
  if (inputs.length < 3 || !inputs[1] || !inputs[2]) fail(`inputs [${inputs.join(', ')}] lack W or R`);
  const extra = inputs.slice(4).findIndex((name) => name !== '');
  if (extra >= 0) fail(`input ${4 + extra} ("${inputs[4 + extra]}": sequence lengths, initial state or peepholes) is not supported`);
  return { W: inputs[1], R: inputs[2], B: inputs[3] ? inputs[3] : undefined };
}
