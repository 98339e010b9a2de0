/**
 * Endpointing by trailing-silence rules, after Kaldi's OnlineEndpointConfig and sherpa-onnx's
 * three rules: a rule fires when (it does not need speech, or the utterance contains speech) and
 * the trailing silence is at least minTrailingSilenceSec and the utterance is at least
 * minUtteranceSec long. Defaults: rule1 = 2.4 s of silence with no speech (a silent stretch is
 * closed without a result), rule2 = 0.6 s of silence after speech, rule3 = 20 s of utterance.
 * The caller decides per frame whether it is silent and whether it is speech (utterance-endpointer.ts:
 * silent = no voice activity and a blank best unit, or blank for LONG_BLANK_SEC on end, so that a
 * loud noise ends an utterance too; speech = voice activity and a phoneme as best unit). Trailing
 * silence counts the frames since the last frame that was not silent.
 */
export interface EndpointRule {
  mustContainSpeech: boolean;
  minTrailingSilenceSec: number;
  minUtteranceSec: number;
}

export interface EndpointConfig {
  rule1: EndpointRule;
  rule2: EndpointRule;
  rule3: EndpointRule;
}

export type EndpointRuleName = keyof EndpointConfig;

export const DEFAULT_ENDPOINT: EndpointConfig = {
  rule1: { mustContainSpeech: false, minTrailingSilenceSec: 2.4, minUtteranceSec: 0 },
  rule2: { mustContainSpeech: true, minTrailingSilenceSec: 0.6, minUtteranceSec: 0 },
  rule3: { mustContainSpeech: false, minTrailingSilenceSec: 0, minUtteranceSec: 20 },
};

/** Merges overrides into the defaults and validates them. */
export function endpointConfig(over: { [K in EndpointRuleName]?: Partial<EndpointRule> } = {}): EndpointConfig {
  const cfg = {} as EndpointConfig;
  for (const k of ['rule1', 'rule2', 'rule3'] as const) {
    const r = { ...DEFAULT_ENDPOINT[k], ...over[k] };
    if (typeof r.mustContainSpeech !== 'boolean') throw new Error(`endpoint ${k}.mustContainSpeech must be a boolean`);
    for (const f of ['minTrailingSilenceSec', 'minUtteranceSec'] as const) {
      if (!(typeof r[f] === 'number' && r[f] >= 0)) throw new Error(`endpoint ${k}.${f} must be a number >= 0 (Infinity disables), got ${String(r[f])}`);
    }
    cfg[k] = r;
  }
  return cfg;
}

/** Per-utterance endpoint state, fed one model frame at a time. */
export class EndpointDetector {
  private frames = 0;
  private trailing = 0;
  private speech = false;

  constructor(readonly cfg: EndpointConfig, private readonly frameSec: number) {}

  /** Adds one frame; `silent` and `speech` as described above (speech implies not silent). */
  push(silent: boolean, speech = !silent): void {
    this.frames++;
    if (silent) this.trailing++;
    else this.trailing = 0;
    if (speech) this.speech = true;
  }

  get containsSpeech(): boolean {
    return this.speech;
  }

  get utteranceFrames(): number {
    return this.frames;
  }

  get trailingSilenceFrames(): number {
    return this.trailing;
  }

  /** The first rule (in order rule1, rule2, rule3) that fires now, or null. */
  check(): EndpointRuleName | null {
    const silenceSec = this.trailing * this.frameSec;
    const lengthSec = this.frames * this.frameSec;
    for (const k of ['rule1', 'rule2', 'rule3'] as const) {
      const r = this.cfg[k];
      if ((!r.mustContainSpeech || this.speech) && silenceSec >= r.minTrailingSilenceSec - 1e-9 && lengthSec >= r.minUtteranceSec - 1e-9) {
        // A rule with neither a silence nor a length condition would fire on every frame.
        if (r.minTrailingSilenceSec === 0 && r.minUtteranceSec === 0) continue;
        return k;
      }
    }
    return null;
  }

  reset(): void {
    this.frames = 0;
    this.trailing = 0;
    this.speech = false;
  }
}
