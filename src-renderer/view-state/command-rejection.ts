import type { PhraseRejectionWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';

/**
 * The Commands log's line for a rejected utterance: the listed phrase that came closest and its
 * confidence (the threshold was not met), and the model's phoneme reading of what was said, e.g.
 * `Not a command — closest: “next slide”, 12% · heard /n eh k s t s l ay d/`. Without a closest
 * phrase (none could align, or a backend that does not say) it names the utterance by its length.
 */
export function rejectionText(rejection: PhraseRejectionWire | undefined, durationSec: number): string {
  const heard = rejection?.heard ? ` · heard /${rejection.heard.toLowerCase()}/` : '';
  if (rejection?.closest) {
    const pct = Math.round(Math.max(0, Math.min(1, rejection.confidence)) * 100);
    return `Not a command — closest: “${itemLabel(rejection.closest)}”, ${pct}%${heard}`;
  }
  return `Not a command (rejected, ${Math.max(0.1, durationSec).toFixed(1)} s of audio)${heard}`;
}
