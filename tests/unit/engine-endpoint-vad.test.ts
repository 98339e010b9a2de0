/** Endpoint rules (Kaldi / sherpa-onnx style) and the energy VAD on MFCC c0. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, EndpointDetector, endpointConfig } from '../../src-main/engine/endpoint-detector.ts';
import { C0_PER_DB, EnergyVad } from '../../src-main/engine/energy-vad.ts';
import { computeMfcc, DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/index.ts';

const FRAME = 0.03;

function run(det: EndpointDetector, pattern: string): (string | null)[] {
  // 's' = speech frame, '.' = silent frame
  return [...pattern].map((ch) => { det.push(ch === '.'); return det.check(); });
}

describe('EndpointDetector', () => {
  it('rule2 fires after the configured silence following speech, not before', () => {
    const det = new EndpointDetector(endpointConfig({ rule2: { minTrailingSilenceSec: 0.3 } }), FRAME);
    const fired = run(det, `${'s'.repeat(10)}${'.'.repeat(12)}`);
    expect(fired.slice(0, 19).every((r) => r === null)).toBe(true);
    expect(fired[19]).toBe('rule2'); // 10 silent frames = 0.3 s
    expect(det.containsSpeech).toBe(true);
  });

  it('silence alone waits for rule1 (2.4 s by default) and speech resets the trailing count', () => {
    const det = new EndpointDetector(endpointConfig(), FRAME);
    const fired = run(det, '.'.repeat(79));
    expect(fired.every((r) => r === null)).toBe(true);
    det.push(true);
    expect(det.check()).toBe('rule1');
    expect(det.containsSpeech).toBe(false);
    det.reset();
    run(det, `${'.'.repeat(15)}s`);
    expect(det.trailingSilenceFrames).toBe(0);
  });

  it('a frame that is neither silent nor speech (noise) holds the utterance open without making it speech', () => {
    const det = new EndpointDetector(endpointConfig({ rule2: { minTrailingSilenceSec: 0.3 } }), FRAME);
    for (let i = 0; i < 40; i++) det.push(false, false);
    expect(det.containsSpeech).toBe(false);
    expect(det.trailingSilenceFrames).toBe(0);
    expect(det.check()).toBeNull();
  });

  it('rule3 cuts a long utterance without silence', () => {
    const det = new EndpointDetector(endpointConfig({ rule3: { minUtteranceSec: 1.5 } }), FRAME);
    const fired = run(det, 's'.repeat(50));
    expect(fired.indexOf('rule3')).toBe(49);
  });

  it('validates its configuration', () => {
    expect(() => endpointConfig({ rule2: { minTrailingSilenceSec: -1 } })).toThrow(/rule2.minTrailingSilenceSec/);
    expect(() => endpointConfig({ rule1: { mustContainSpeech: 'yes' as unknown as boolean } })).toThrow(/mustContainSpeech/);
    expect(endpointConfig()).toEqual(DEFAULT_ENDPOINT);
    const off = new EndpointDetector(endpointConfig({ rule1: { minTrailingSilenceSec: Infinity }, rule2: { minTrailingSilenceSec: Infinity }, rule3: { minUtteranceSec: Infinity } }), FRAME);
    expect(run(off, 's.'.repeat(500)).every((r) => r === null)).toBe(true);
  });
});

describe('EnergyVad', () => {
  const hop = DEFAULT_FEATURE_CONFIG.hopLength / DEFAULT_FEATURE_CONFIG.sampleRate;
  const c0 = (pcm: Float32Array) => {
    const m = computeMfcc(pcm, DEFAULT_FEATURE_CONFIG);
    return Array.from({ length: m.frames }, (_, i) => m.data[i * m.dim]);
  };
  const noise = (n: number, amp: number, seed: number) => {
    let x = seed;
    return Float32Array.from({ length: n }, () => { x = (x * 1103515245 + 12345) % 2147483648; return amp * (x / 1073741824 - 1); });
  };

  // c0 sums log energies over the mel bands, so it follows broadband sound (like speech) and
  // hardly moves for a pure tone that fills one band: the test sound is broadband.
  it('hears broadband sound 30 dB above the background and not the background itself', () => {
    const n = 16000;
    const quiet = noise(n, 0.001, 1);
    const tone = Float32Array.from(noise(n, 0.03, 3), (v, i) => v + quiet[i]);
    const vad = new EnergyVad(hop);
    const before = c0(quiet).map((v) => vad.push(v));
    const during = c0(tone).map((v) => vad.push(v));
    const after = c0(noise(n, 0.001, 2)).map((v) => vad.push(v));
    expect(before.filter(Boolean).length).toBe(0);
    expect(during.filter(Boolean).length / during.length).toBeGreaterThan(0.95);
    // hangover 0.1 s, then silence again
    expect(after.slice(15).filter(Boolean).length).toBe(0);
  });

  it('tracks a rising background instead of calling it speech forever', () => {
    const vad = new EnergyVad(hop, { floorRiseDbPerSec: 5 });
    const base = 1200;
    // 10 s of background that stepped up by 8 dB: voiced at first, then absorbed into the floor
    for (let i = 0; i < 100; i++) vad.push(base);
    const decisions = Array.from({ length: 1000 }, () => vad.push(base + 8 * C0_PER_DB));
    expect(decisions[0]).toBe(true);
    expect(decisions.slice(-100).some(Boolean)).toBe(false);
  });

  it('never calls digital silence speech, and rejects bad options', () => {
    const vad = new EnergyVad(hop);
    expect(Array.from({ length: 100 }, () => vad.push(0)).some(Boolean)).toBe(false);
    expect(() => new EnergyVad(0)).toThrow(/frameSec/);
    expect(() => new EnergyVad(hop, { marginDb: -1 })).toThrow(/marginDb/);
  });
});
