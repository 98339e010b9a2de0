// Commands fired by noise: phrase mode (ten desktop commands, as the recognizers run by default: the
// package's calibrated phrase settings, decoding.phrase, and the file-mode speech gate) on 240 two-second noise clips (white, pink, brown and babble at 0.02, 0.05 and 0.1 amplitude, 20
// seeds each), and on 60 four-second pieces of synthesized music (seeds no calibration uses), for
// each model given. Every fired command is a false accept.
// Run: node bin/run-ts.mjs bench/phrase-noise.bench.ts --model DIR [--model DIR ...] [--out NAME]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { makeNoise } from '../src-main/train/data/augment/noise.ts';
import { makeMusic } from '../src-main/train/data/augment/music.ts';
import { DEFAULT_PHRASE_OPTIONS } from '../src-main/decode/phrase-decoder.ts';

const { values } = parseArgs({ options: { model: { type: 'string', multiple: true }, out: { type: 'string', default: 'phrase-noise' } } });
const COMMANDS = ['next slide', 'previous slide', 'mute the microphone', 'open the browser', 'scroll down', 'volume up', 'take a screenshot', 'zoom out', 'go back', 'lock the screen'];
const KINDS = ['white', 'pink', 'brown', 'babble'] as const;
const AMPLITUDES = [0.02, 0.05, 0.1];
const SEEDS = 20;
const MUSIC_PIECES = 60;
const results = [];
for (const dir of values.model ?? ['models/hark-en']) {
  const model = await loadModelPackage(dir);
  const rec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: COMMANDS } });
  let fired = 0, clips = 0;
  const byKind: Record<string, number> = {};
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = createRng(1000 + seed);
    for (const kind of KINDS) for (const amp of AMPLITUDES) {
      const r = await rec.recognizePcm(makeNoise(kind, 32000, rng).map((v) => v * amp));
      clips++;
      if (r.phrase) { fired++; byKind[kind] = (byKind[kind] ?? 0) + 1; }
    }
  }
  const musicRng = createRng(9090);
  let musicFired = 0;
  for (let i = 0; i < MUSIC_PIECES; i++) {
    const gain = musicRng.uniform(0.05, 1.2);
    if ((await rec.recognizePcm(makeMusic(4 * 16000, musicRng).map((v) => v * gain))).phrase) musicFired++;
  }
  await rec.dispose();
  console.log(`${model.metadata.name} ${model.metadata.version}: ${fired} of ${clips} noise clips fired a command ${JSON.stringify(byKind)}; ${musicFired} of ${MUSIC_PIECES} music pieces`);
  results.push({ model: { dir, name: model.metadata.name, version: model.metadata.version }, phraseSettings: model.metadata.decoding?.phrase ?? null, clips, fired, byKind, music: { pieces: MUSIC_PIECES, fired: musicFired } });
}
const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, 'results', `${values.out}.json`), JSON.stringify({ commands: COMMANDS, kinds: KINDS, amplitudes: AMPLITUDES, seeds: SEEDS, defaultPhraseOptions: DEFAULT_PHRASE_OPTIONS, results }, null, 2) + '\n');
