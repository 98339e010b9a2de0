/**
 * Shape and value checks on AcousticModelWeights before they are exported or evaluated:
 * every array length must follow from the ArchitectureSpec, and every value must be finite.
 */
import { CELL_TYPES } from '../../src-shared/model/metadata.ts';
import { gatesOf, layerInputSize, type AcousticModelWeights, type DirectionWeights } from './weights.ts';

function checkArray(what: string, array: Float32Array | undefined, expected: number): void {
  if (!(array instanceof Float32Array)) throw new Error(`${what}: expected a Float32Array`);
  if (array.length !== expected) throw new Error(`${what}: length ${array.length}, expected ${expected}`);
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw new Error(`${what}: non-finite value ${array[i]} at index ${i}`);
  }
}

function checkDirection(what: string, w: DirectionWeights, inputSize: number, hidden: number, gates: number): void {
  checkArray(`${what}.kernel`, w.kernel, inputSize * gates * hidden);
  checkArray(`${what}.recurrent`, w.recurrent, hidden * gates * hidden);
  checkArray(`${what}.bias`, w.bias, gates * hidden);
}

/** Throws an Error naming the offending tensor when `weights` does not match its own spec. */
export function checkAcousticWeights(weights: AcousticModelWeights): void {
  const { spec } = weights;
  for (const key of ['layers', 'hidden', 'inputDim', 'numUnits'] as const) {
    if (!Number.isInteger(spec[key]) || spec[key] < 1) throw new Error(`weights.spec.${key}: ${spec[key]} is not a positive integer`);
  }
  if (!(CELL_TYPES as readonly string[]).includes(spec.cell)) throw new Error(`weights.spec.cell: unknown cell type "${spec.cell}"`);
  if (weights.layers.length !== spec.layers) {
    throw new Error(`weights.layers: ${weights.layers.length} layers, spec says ${spec.layers}`);
  }
  const gates = gatesOf(spec.cell);
  const directions = spec.bidirectional ? 2 : 1;
  weights.layers.forEach((layer, l) => {
    const expectedInput = layerInputSize(spec, l);
    if (layer.inputSize !== expectedInput) {
      throw new Error(`weights.layers[${l}].inputSize: ${layer.inputSize}, expected ${expectedInput}`);
    }
    checkDirection(`weights.layers[${l}].forward`, layer.forward, layer.inputSize, spec.hidden, gates);
    if (spec.bidirectional !== (layer.backward !== undefined)) {
      throw new Error(`weights.layers[${l}].backward: ${layer.backward ? 'present' : 'missing'} but spec.bidirectional is ${spec.bidirectional}`);
    }
    if (layer.backward) checkDirection(`weights.layers[${l}].backward`, layer.backward, layer.inputSize, spec.hidden, gates);
  });
  checkArray('weights.output.kernel', weights.output.kernel, directions * spec.hidden * spec.numUnits);
  checkArray('weights.output.bias', weights.output.bias, spec.numUnits);
}
