/**
 * The training loop: Adam on the mean CTC loss of each batch, gradients clipped by global norm,
 * learning rate decayed per epoch, checkpoints every few minutes and at each epoch's end (resume
 * continues at the next batch), seeded model initialization and batch order.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from './acoustic-model.ts';
import type { Batch } from './batch.ts';
import { loadCheckpoint, saveCheckpoint, type NamedArray } from './checkpoint.ts';
import { combineShards, shardGradients, splitBatch, type ShardGradients } from './batch-shards.ts';
import { clipByGlobalNorm } from './clip-gradients.ts';
import { ctcLoss, type CtcBatchStats } from './ctc-loss.ts';
import { GradientPool } from './gradient-pool.ts';
import { sequenceSeed, validateDropoutRate } from './dropout.ts';
import type { TrainingBackend } from './tf-backend.ts';

export interface TrainerConfig {
  arch: ArchitectureSpec;
  epochs: number;
  learningRate: number;
  /** Learning rate multiplier applied after each epoch. */
  lrDecay: number;
  /** Global gradient norm limit. */
  clipNorm: number;
  seed: number;
  checkpointDir?: string;
  checkpointEverySec: number;
  /** Stop (after checkpointing) once this much wall time has been spent in this run. */
  timeBudgetSec?: number;
  /** Stops after the current step, checkpointed; train() then rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * L2-SP regularization (Li et al. 2018, "Explicit inductive bias for transfer learning"): adds
   * strength * sum((w - w0)^2) over all weights to the loss, pulling a fine-tuned model towards
   * the weights it started from (one array per model variable, in model.variables() order).
   * `scales` (one per variable, default 1) multiply a variable's term: a layer pulled less or more.
   * `masks` (per variable, null: all 1) weigh each weight's squared difference: 0 leaves it free (the
   * columns of new output units), a Fisher importance makes it elastic weight consolidation
   * (anchor-importance.ts).
   */
  anchor?: { weights: readonly Float32Array[]; strength: number; masks?: readonly (Float32Array | null)[]; scales?: readonly number[] };
  /** Keeps the lowest this many recurrent layers fixed (fine-tuning only the layers above and the output). */
  freezeLayers?: number;
  /**
   * Gradient worker threads besides the main thread (data parallelism, batch-shards.ts): each
   * batch is split by sequence into 1 + this many shards computed at once. 0 or absent: the main
   * thread alone. The result equals single-thread training up to floating-point summation order;
   * a resumed run stays exact for the same setting.
   */
  gradientWorkers?: number;
  /**
   * With gradient workers: whether the main thread computes a shard too (default). false: every
   * shard goes to a worker and the main thread only combines them and steps the optimizer, which
   * keeps the main thread's tfjs WASM heap small (it aborts the whole run when full; a worker that
   * aborts is replaced: gradient-pool.ts). The shards are the same either way.
   */
  mainThreadShard?: boolean;
  /**
   * Dropout rate between the recurrent layers and before the output layer (dropout.ts; 0 or
   * absent: none). Each sequence's masks come from the run's seed, the step and its place in the
   * batch, so sharding does not change them and a resumed run stays exact.
   */
  dropout?: number;
}

/** The error train() rejects with when its signal aborts (the checkpoint holds the last step). */
/**
 * The checkpointing and stopping part of a command's TrainerConfig (`hark train`, `hark adapt`): its
 * checkpoint in OUT/checkpoint every five minutes, its sitting's time budget, its cancellation.
 */
export function sittingConfig(out: string, timeBudgetMin: number | undefined, signal: AbortSignal | undefined): Pick<TrainerConfig, 'checkpointDir' | 'checkpointEverySec' | 'timeBudgetSec' | 'signal'> {
  return { checkpointDir: join(out, 'checkpoint'), checkpointEverySec: 300, timeBudgetSec: timeBudgetMin !== undefined ? timeBudgetMin * 60 : undefined, signal };
}

export function abortError(): Error {
  const e = new Error('training was cancelled');
  e.name = 'AbortError';
  return e;
}

/** Supplies each epoch's batches; `skip` batches already trained before a resume. */
export interface BatchSource {
  batchesPerEpoch(epoch: number): number;
  batches(epoch: number, skip: number): AsyncIterable<Batch>;
}

export interface StepReport {
  epoch: number;
  batch: number;
  batchesInEpoch: number;
  step: number;
  loss: number;
  gradNorm: number;
  frames: number;
  framesPerSec: number;
  lr: number;
}

export interface EpochReport {
  epoch: number;
  meanLoss: number;
  frames: number;
  seconds: number;
  framesPerSec: number;
  [key: string]: number;
}

export interface TrainerHooks {
  onStep?(r: StepReport): void;
  /** Called after each epoch with the model; may return extra figures (e.g. held-out PER) for the history. */
  onEpoch?(r: EpochReport, model: AcousticModel): Promise<Record<string, number> | void>;
}

export interface TrainResult {
  model: AcousticModel;
  history: EpochReport[];
  steps: number;
  stoppedEarly: boolean;
  trainSeconds: number;
}

export async function train(cfg: TrainerConfig, source: BatchSource, hooks: TrainerHooks = {}, init?: AcousticModel): Promise<TrainResult> {
  const dropoutRate = validateDropoutRate(cfg.dropout ?? 0);
  const model = init ?? new AcousticModel(cfg.arch, cfg.seed);
  const vars = model.variables();
  const frozen = (v: tf.Variable) => Number(/\/l(\d+)\//.exec(v.name)?.[1] ?? Infinity) < (cfg.freezeLayers ?? 0);
  const trainable = vars.filter((v) => !frozen(v));
  const optimizer = tf.train.adam(cfg.learningRate);
  // tfjs keeps the rate protected; Adam reads it on every step, so setting it between steps is safe.
  const setLr = (lr: number) => { (optimizer as unknown as { learningRate: number }).learningRate = lr; };
  // Adam's running beta powers (checkpoint.ts, adamBetaPowers): tfjs keeps them as protected variables.
  const adamPowers = () => {
    const o = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    return { beta1: o.accBeta1, beta2: o.accBeta2 };
  };
  let lr = cfg.learningRate;
  let step = 0, startEpoch = 0, skip = 0;
  let history: EpochReport[] = [];
  const ckpt = cfg.checkpointDir ? await loadCheckpoint(cfg.checkpointDir) : undefined;
  if (ckpt) {
    if (ckpt.weights.length !== vars.length) throw new Error(`checkpoint ${cfg.checkpointDir} has ${ckpt.weights.length} tensors, the model ${vars.length}: different architecture`);
    ckpt.weights.forEach((w, i) => {
      if (w.data.length !== vars[i].size) throw new Error(`checkpoint tensor ${w.name} does not fit ${vars[i].name}`);
      vars[i].assign(tf.tensor(w.data, vars[i].shape));
    });
    await optimizer.setWeights(ckpt.optimizer.map((o) => ({ name: o.name, tensor: tf.tensor(o.data, o.shape) })));
    if (ckpt.adamBetaPowers) {
      const [p1, p2] = ckpt.adamBetaPowers;
      tf.tidy(() => { adamPowers().beta1.assign(tf.scalar(p1)); adamPowers().beta2.assign(tf.scalar(p2)); });
    }
    step = ckpt.step;
    startEpoch = ckpt.epoch;
    skip = ckpt.batchInEpoch;
    history = ckpt.history as EpochReport[];
  }

  // Checked before any tensor is made, so a refusal leaks none.
  const anchorScales = cfg.anchor?.scales ?? [];
  if (anchorScales.length > 0 && (anchorScales.length !== cfg.anchor!.weights.length || !anchorScales.every((x) => Number.isFinite(x) && x >= 0))) {
    throw new Error(`anchor scales: ${anchorScales.length} given for ${cfg.anchor!.weights.length} variables, each a finite number >= 0`);
  }
  const anchor = cfg.anchor ? cfg.anchor.weights.map((w, i) => {
    if (w.length !== vars[i].size) throw new Error(`anchor tensor ${i} has ${w.length} values, ${vars[i].name} ${vars[i].size}`);
    return tf.tensor(w, vars[i].shape);
  }) : [];
  const anchorStrength = cfg.anchor?.strength ?? 0;
  // Per-weight weights of the pull: 0 is free (output columns of units the anchored weights did not have).
  const anchorMasks = (cfg.anchor?.masks ?? []).map((m, i) => (m ? tf.tensor(m, vars[i].shape) : null));
  const runStart = performance.now();
  let lastCkpt = runStart;
  let stoppedEarly = false;
  const budgetSpent = () => cfg.timeBudgetSec !== undefined && (performance.now() - runStart) / 1000 >= cfg.timeBudgetSec;
  const save = async (epoch: number, batchInEpoch: number) => {
    if (!cfg.checkpointDir) return;
    const weights: NamedArray[] = vars.map((v, i) => ({ name: `w${i}`, shape: v.shape, data: v.dataSync() as Float32Array }));
    const optimizerState: NamedArray[] = (await optimizer.getWeights()).map((o) => ({ name: o.name, shape: o.tensor.shape, data: o.tensor.dataSync() as Float32Array }));
    const adamBetaPowers: [number, number] = [adamPowers().beta1.dataSync()[0], adamPowers().beta2.dataSync()[0]];
    await saveCheckpoint(cfg.checkpointDir, { step, epoch, batchInEpoch, config: cfg, history, weights, optimizer: optimizerState, adamBetaPowers });
    lastCkpt = performance.now();
  };

  const anchorDrift = (): tf.Scalar => tf.addN(anchor.flatMap((w0, i) => {
    if (frozen(vars[i])) return [];
    const sq = tf.squaredDifference(vars[i], w0);
    const term = tf.sum(anchorMasks[i] ? tf.mul(sq, anchorMasks[i]!) : sq);
    const scale = anchorScales[i] ?? 1;
    return [scale === 1 ? term : tf.mul(scale, term)];
  })) as tf.Scalar;
  const pool = cfg.gradientWorkers ? new GradientPool(cfg.gradientWorkers, cfg.arch, tf.getBackend() as TrainingBackend, trainable.map((v) => vars.indexOf(v))) : undefined;
  try {
    await pool?.ready();
    return await trainLoop();
  } finally {
    await pool?.close();
    tf.dispose([...anchor, ...anchorMasks.filter((m): m is tf.Tensor => m !== null)]);
  }

  /** One batch's loss, statistics and gradients (clipped later), on the main thread alone or sharded over the pool. */
  async function batchGradients(batch: Batch): Promise<{ loss: number; lossSum: number; impossible: number; grads: tf.NamedTensorMap }> {
    if (!pool) {
      const stats: CtcBatchStats = { lossSum: 0, impossible: 0 };
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const x = tf.tensor3d(batch.x, [batch.T, batch.B, batch.dim]);
        const ctc = ctcLoss(model.forward(x, batch.lengths, batch.dropout), batch.labels, batch.lengths, 0, stats);
        return anchor.length === 0 ? ctc : tf.add(ctc, tf.mul(anchorStrength, anchorDrift())) as tf.Scalar;
      }), trainable);
      const loss = value.dataSync()[0];
      value.dispose();
      return { loss, lossSum: stats.lossSum, impossible: stats.impossible, grads };
    }
    const onMain = cfg.mainThreadShard ?? true;
    const shards = splitBatch(batch, pool.size + (onMain ? 1 : 0));
    const remote = pool.start(vars, onMain ? shards.slice(1) : shards);
    let local: ShardGradients[];
    try {
      local = onMain ? [shardGradients(model, trainable, shards[0])] : [];
    } catch (e) {
      // The workers' shards are abandoned: their failures must not hide this error.
      for (const r of remote) r.catch(() => undefined);
      throw e;
    }
    const c = combineShards([...local, ...(await Promise.all(remote))], trainable);
    let loss = c.counted > 0 ? c.lossSum / c.counted : 0;
    if (anchor.length > 0) {
      const { value, grads: a } = tf.variableGrads(() => tf.tidy(() => tf.mul(anchorStrength, anchorDrift()) as tf.Scalar), trainable);
      loss += value.dataSync()[0];
      value.dispose();
      for (const v of trainable) {
        const sum = tf.add(c.grads[v.name], a[v.name]);
        tf.dispose([c.grads[v.name], a[v.name]]);
        c.grads[v.name] = sum;
      }
    }
    return { loss, lossSum: c.lossSum, impossible: c.impossible, grads: c.grads };
  }

  async function trainLoop(): Promise<TrainResult> {
    for (let epoch = startEpoch; epoch < cfg.epochs && !stoppedEarly; epoch++) {
      // A budget already spent at an epoch's start stops here, before the epoch's data is asked
      // for (preparing it takes minutes): the checkpoint is the previous epoch's end, or the state
      // the run resumed from, so nothing is lost. A budget of 0 trains nothing (hark adapt then
      // only exports the best epoch). A cancellation seen here (it came during the last epoch's
      // evaluation, or before the first step) has nothing newer than that checkpoint to save.
      if (cfg.signal?.aborted) throw abortError();
      if (budgetSpent()) {
        stoppedEarly = true;
        break;
      }
      lr = cfg.learningRate * cfg.lrDecay ** epoch;
      setLr(lr);
      const epochStart = performance.now();
      let batchIndex = epoch === startEpoch ? skip : 0;
      let lossSum = 0, lossCount = 0, frames = 0;
      for await (const clean of source.batches(epoch, batchIndex)) {
        const t0 = performance.now();
        const batch = dropoutRate > 0 ? { ...clean, dropout: { rate: dropoutRate, seeds: clean.lengths.map((_, b) => sequenceSeed(cfg.seed, step, b)) } } : clean;
        const { loss, grads, ...stats } = await batchGradients(batch);
        const clipped = clipByGlobalNorm(grads, cfg.clipNorm);
        optimizer.applyGradients(clipped.grads as Parameters<typeof optimizer.applyGradients>[0]);
        tf.dispose(Object.values(clipped.grads));
        step++;
        batchIndex++;
        const batchFrames = batch.lengths.reduce((a, b) => a + b, 0);
        frames += batchFrames;
        lossSum += stats.lossSum;
        lossCount += batch.B - stats.impossible;
        hooks.onStep?.({ epoch, batch: batchIndex, batchesInEpoch: source.batchesPerEpoch(epoch), step, loss, gradNorm: clipped.norm, frames: batchFrames, framesPerSec: batchFrames / ((performance.now() - t0) / 1000), lr });
        if (cfg.signal?.aborted) {
          await save(epoch, batchIndex);
          throw abortError();
        }
        if (budgetSpent()) {
          stoppedEarly = true;
          break;
        }
        if ((performance.now() - lastCkpt) / 1000 > cfg.checkpointEverySec) await save(epoch, batchIndex);
      }
      if (stoppedEarly) {
        await save(epoch, batchIndex);
        break;
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const report: EpochReport = { epoch, meanLoss: lossCount ? lossSum / lossCount : NaN, frames, seconds, framesPerSec: frames / seconds };
      const extra = await hooks.onEpoch?.(report, model);
      history.push({ ...report, ...(extra ?? {}) });
      await save(epoch + 1, 0);
    }
    return { model, history, steps: step, stoppedEarly, trainSeconds: (performance.now() - runStart) / 1000 };
  }
}
