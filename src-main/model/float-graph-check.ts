/** The operator check of a float package graph (check-graph-precision.ts has the int8 one). */
import type { ModelProto } from './onnx-proto.ts';

/** Domains of standard ONNX operators. */
export const DEFAULT_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx']);

/** Throws an Error (prefixed by `what`) when a node is not a standard ONNX operator (e.g. an int8 contrib op). */
export function checkFloatGraphOperators(model: ModelProto, what: string): void {
  const foreign = (model.graph?.node ?? []).find((n) => !DEFAULT_DOMAINS.has(n.domain ?? ''));
  if (foreign) {
    throw new Error(`${what}: node "${foreign.name ?? ''}" is ${foreign.domain} ${foreign.opType}, but the metadata declares no quantization (a float package uses standard ONNX operators only)`);
  }
}
