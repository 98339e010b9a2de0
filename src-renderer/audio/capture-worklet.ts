/**
 * AudioWorklet processor 'hark-capture' (built to dist-renderer/capture-worklet.js): takes the
 * first channel of its input, batches 128-sample render quanta into blocks of
 * processorOptions.blockSamples, and posts each block to the main thread as an AudioBlock,
 * transferring the Float32Array's buffer (no copy, no allocation on the audio thread besides the
 * next block). A quantum with no input channel (device gone) counts as silence so the sample
 * clock stays continuous.
 */
import { BlockBatcher } from './block-batcher.ts';

// AudioWorkletGlobalScope names (TypeScript's DOM lib does not describe this scope).
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class HarkCaptureProcessor extends AudioWorkletProcessor {
  private readonly batcher: BlockBatcher;
  private silence: Float32Array | null = null;

  constructor(options: { processorOptions?: { blockSamples?: number } }) {
    super();
    this.batcher = new BlockBatcher(options.processorOptions?.blockSamples ?? Math.round(sampleRate / 20));
  }

  process(inputs: Float32Array[][]): boolean {
    let channel = inputs[0]?.[0];
    if (!channel) channel = this.silence ??= new Float32Array(128);
    this.batcher.push(channel, (block) => this.port.postMessage(block, [block.samples.buffer]));
    return true;
  }
}

registerProcessor('hark-capture', HarkCaptureProcessor);
