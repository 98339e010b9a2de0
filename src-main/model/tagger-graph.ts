/**
 * The punctuation/case tagger graph (models/tagger-en/tagger.onnx), opset 17, built from the
 * acoustic exporter's parts (acoustic-graph.ts: recurrentLayerNodes, the opset and the
 * metadata_props convention):
 *   word_ids [batch, words] int64 -> Gather(embedding) [batch, words, E]
 *   -> Concat with word_features [batch, words, F] -> Transpose [words, batch, E+F]
 *   -> bidirectional LSTM | GRU | RNN layers -> [words, batch, 2H]
 *   -> per head: MatMul + Add -> LogSoftmax -> Transpose -> case_logprobs / punct_logprobs
 * The recurrent nodes get no sequence_lens: every row of a batch must hold a whole utterance of the
 * same length (the runtime sends one utterance at a time). Metadata: TaggerMetadata under
 * TAGGER_METADATA_KEY (src-shared/model/tagger-metadata.ts).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TAGGER_CASE_OUTPUT, TAGGER_FEATURES_INPUT, TAGGER_IDS_INPUT, TAGGER_METADATA_KEY, TAGGER_PUNCT_OUTPUT,
  taggerMetadataProblem, type TaggerMetadata,
} from '../../src-shared/model/tagger-metadata.ts';
import { CASE_LABELS, PUNCT_LABELS } from '../../src-shared/text/word-marks.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import { IR_VERSION, OPSET_VERSION, recurrentLayerNodes } from './acoustic-graph.ts';
import { floatTensor, int64Tensor, node, tensorValueInfo } from './onnx-builders.ts';
import { DataType, decodeModelProto, encodeModelProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto.ts';
import { gatesOf } from './weights.ts';
import { TAGGER_JSON_FILE, TAGGER_ONNX_FILE } from './tagger-file.ts';
import type { TaggerWeights } from './tagger-weights.ts';


/** Throws an Error naming what in `w` disagrees with `md` or with itself. */
export function checkTaggerWeights(w: TaggerWeights, md: TaggerMetadata): void {
  const problem = taggerMetadataProblem(md);
  if (problem) throw new Error(`tagger metadata: ${problem}`);
  const a = md.architecture;
  for (const k of ['cell', 'layers', 'hidden', 'embeddingDim'] as const) {
    if (a[k] !== w.arch[k]) throw new Error(`tagger metadata.architecture.${k}: ${String(a[k])}, but the weights have ${String(w.arch[k])}`);
  }
  if (w.vocabularySize !== md.vocabulary.length) throw new Error(`tagger weights have ${w.vocabularySize} embedding rows, the vocabulary ${md.vocabulary.length} words`);
  if (w.featureDim !== md.features.length) throw new Error(`tagger weights read ${w.featureDim} features, the metadata names ${md.features.length}`);
  if (w.embedding.length !== w.vocabularySize * a.embeddingDim) throw new Error(`tagger embedding has ${w.embedding.length} values, expected ${w.vocabularySize} x ${a.embeddingDim}`);
  if (w.layers.length !== a.layers) throw new Error(`tagger weights have ${w.layers.length} layers, the metadata ${a.layers}`);
  const G = gatesOf(a.cell);
  w.layers.forEach((l, i) => {
    const inputSize = i === 0 ? a.embeddingDim + w.featureDim : 2 * a.hidden;
    if (l.inputSize !== inputSize || !l.backward) throw new Error(`tagger layer ${i}: expected a bidirectional layer reading ${inputSize} inputs`);
    for (const d of [l.forward, l.backward]) {
      if (d.kernel.length !== inputSize * G * a.hidden || d.recurrent.length !== a.hidden * G * a.hidden || d.bias.length !== G * a.hidden) {
        throw new Error(`tagger layer ${i}: weight sizes do not match ${a.cell} with ${a.hidden} hidden units`);
      }
    }
  });
  for (const [name, head, n] of [['case', w.caseHead, CASE_LABELS.length], ['punct', w.punctHead, PUNCT_LABELS.length]] as const) {
    if (head.kernel.length !== 2 * a.hidden * n || head.bias.length !== n) throw new Error(`tagger ${name} head: expected [${2 * a.hidden}, ${n}] + [${n}]`);
  }
}

/** The tagger GraphProto; `w` must have passed checkTaggerWeights. */
export function buildTaggerGraph(w: TaggerWeights): GraphProto {
  const { arch } = w;
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [
    int64Tensor('merge_directions_shape', [3], [0, 0, -1]),
    floatTensor('embedding', [w.vocabularySize, arch.embeddingDim], w.embedding),
  ];
  nodes.push(
    node('Gather', 'embed', ['embedding', TAGGER_IDS_INPUT], ['embedded'], { axis: 0 }),
    node('Concat', 'with_features', ['embedded', TAGGER_FEATURES_INPUT], ['word_inputs'], { axis: 2 }),
    node('Transpose', 'to_time_major', ['word_inputs'], ['x_time_major'], { perm: [1, 0, 2] }),
  );
  const top = recurrentLayerNodes(arch.cell, true, arch.hidden, w.layers, 'x_time_major', nodes, initializers);
  for (const [name, head, output] of [['case', w.caseHead, TAGGER_CASE_OUTPUT], ['punct', w.punctHead, TAGGER_PUNCT_OUTPUT]] as const) {
    const n = head.bias.length;
    initializers.push(floatTensor(`${name}.kernel`, [2 * arch.hidden, n], head.kernel), floatTensor(`${name}.bias`, [n], head.bias));
    nodes.push(
      node('MatMul', `${name}.matmul`, [top, `${name}.kernel`], [`${name}.nobias`]),
      node('Add', `${name}.add`, [`${name}.nobias`, `${name}.bias`], [`${name}.logits`]),
      node('LogSoftmax', `${name}.log_softmax`, [`${name}.logits`], [`${name}.logprobs_tbn`], { axis: -1 }),
      node('Transpose', `${name}.to_batch_major`, [`${name}.logprobs_tbn`], [output], { perm: [1, 0, 2] }),
    );
  }
  return {
    name: 'hark_punctuation_tagger',
    node: nodes,
    initializer: initializers,
    input: [
      tensorValueInfo(TAGGER_IDS_INPUT, DataType.INT64, ['batch', 'words']),
      tensorValueInfo(TAGGER_FEATURES_INPUT, DataType.FLOAT, ['batch', 'words', w.featureDim]),
    ],
    output: [
      tensorValueInfo(TAGGER_CASE_OUTPUT, DataType.FLOAT, ['batch', 'words', CASE_LABELS.length]),
      tensorValueInfo(TAGGER_PUNCT_OUTPUT, DataType.FLOAT, ['batch', 'words', PUNCT_LABELS.length]),
    ],
  };
}

/** The tagger ModelProto with its metadata; throws on inconsistent weights or metadata. */
export function buildTaggerModel(w: TaggerWeights, md: TaggerMetadata): ModelProto {
  checkTaggerWeights(w, md);
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'hark',
    docString: `${md.name} ${md.version}: punctuation and case tagger (${md.architecture.cell})`,
    graph: buildTaggerGraph(w),
    metadataProps: [{ key: TAGGER_METADATA_KEY, value: JSON.stringify(md) }],
  };
}

/** tagger.onnx bytes. */
export function encodeTaggerModel(w: TaggerWeights, md: TaggerMetadata): Uint8Array {
  return encodeModelProto(buildTaggerModel(w, md));
}

/**
 * Replaces the metadata of the tagger in `dir` (tagger.onnx's entry and tagger.json) without
 * touching the graph: for decisions measured after export (punctBias). Checked first; each file
 * replaced atomically, tagger.json last.
 */
export async function restampTaggerMetadata(dir: string, md: TaggerMetadata): Promise<void> {
  const problem = taggerMetadataProblem(md);
  if (problem) throw new Error(`tagger metadata: ${problem}`);
  const path = join(dir, TAGGER_ONNX_FILE);
  const proto = decodeModelProto(await readFile(path));
  const props = (proto.metadataProps ?? []).filter((p) => p.key !== TAGGER_METADATA_KEY);
  await writeFileAtomic(path, encodeModelProto({ ...proto, metadataProps: [...props, { key: TAGGER_METADATA_KEY, value: JSON.stringify(md) }] }));
  await writeFileAtomic(join(dir, TAGGER_JSON_FILE), `${JSON.stringify(md, null, 2)}\n`);
}

/** Writes tagger.onnx and tagger.json (the same metadata, pretty-printed: the card) into `dir`. */
export async function exportTagger(w: TaggerWeights, md: TaggerMetadata, dir: string): Promise<{ onnxPath: string; bytes: number }> {
  const bytes = encodeTaggerModel(w, md);
  await mkdir(dir, { recursive: true });
  const onnxPath = join(dir, TAGGER_ONNX_FILE);
  await writeFileAtomic(onnxPath, bytes);
  await writeFileAtomic(join(dir, TAGGER_JSON_FILE), `${JSON.stringify(md, null, 2)}\n`);
  return { onnxPath, bytes: bytes.length };
}
