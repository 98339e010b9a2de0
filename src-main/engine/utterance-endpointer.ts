/**
 * When the current utterance ends, decided frame by frame from the streaming posteriors and the
 * voice activity: each frame is classed silent or speech for the endpoint rules
 * (endpoint-detector.ts), and an utterance is cut at MAX_UTTERANCE_SEC whatever the rules say.
 */
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { EndpointDetector, type EndpointConfig, type EndpointRuleName } from './endpoint-detector.ts';

/** Hard cap on one utterance, whatever rule3 says (bounds every per-utterance buffer). */
export const MAX_UTTERANCE_SEC = 60;

/**
 * A frame counts as silent when the VAD hears nothing and the model's best unit is blank, or when
 * the model has heard no phoneme for this long (a loud noise or music ends an utterance too; a
 * vowel's tail after its CTC spike, voiced but blank, does not).
 */
export const LONG_BLANK_SEC = 1.0;

export class UtteranceEndpointer {
  private readonly detector: EndpointDetector;
  /** Frames since the model's best unit was last a phoneme. */
  private blankRun = 0;

  constructor(cfg: EndpointConfig, private readonly frameSec: number) {
    this.detector = new EndpointDetector(cfg, frameSec);
  }

  /**
   * Adds the utterance's next frame: `row` its posteriors (numUnits log-probabilities), `voiced`
   * its voice activity. Returns the rule that ends the utterance after this frame ('rule3' too for
   * MAX_UTTERANCE_SEC), or null.
   */
  push(row: Float32Array, voiced: boolean): EndpointRuleName | null {
    let best = 0;
    for (let u = 1; u < row.length; u++) if (row[u] > row[best]) best = u;
    this.blankRun = best === BLANK_ID ? this.blankRun + 1 : 0;
    const silent = (!voiced && best === BLANK_ID) || this.blankRun * this.frameSec >= LONG_BLANK_SEC;
    this.detector.push(silent, voiced && best !== BLANK_ID);
    return this.detector.check() ?? (this.detector.utteranceFrames * this.frameSec >= MAX_UTTERANCE_SEC ? 'rule3' : null);
  }

  /** Whether a frame of the utterance was speech (voiced, with a phoneme as best unit). */
  get containsSpeech(): boolean {
    return this.detector.containsSpeech;
  }

  /** A new utterance. */
  reset(): void {
    this.detector.reset();
    this.blankRun = 0;
  }
}
