#!/usr/bin/env bash
# Takes a trained candidate through the shipping steps of docs/DEVELOPERS.md ("Reproducing the shipped
# files"), in order, so that a candidate that meets the shipping rule late in a session can still ship
# before the session ends:
#   0. the shipping rule (tools/compare-validation.ts against models-float/hark-en): stops unless it ships;
#   1. its float graphs become models-float/hark-en under VERSION (tools/rename-model-version.ts);
#   2. the int8 package models/hark-en (hark export --int8) and its calibration (hark calibrate --real);
#   3. its keyword threshold by the rule on the validation slice (real-keywords --split val, then
#      tools/stamp-keyword-threshold.ts), beside the noise-and-music bench (phrase-noise, no dev clip);
#   3b. the rule's rejection guard (tools/compare-rejection.ts BASE_SUFFIX SUFFIX): stops when the
#      candidate hears speech in noise or misses keywords on the validation slice more often than the
#      shipped model, and puts the shipped model back (git checkout of both packages);
#   4. the other five accuracy benches on the real dev set and the held-out synthesized voices, two at a time
#      (their files bench/results/<bench>-SUFFIX.json), and the streaming benchmark (streaming.json:
#      run it on an otherwise idle machine, its compute figures are timings);
#   5. their figures into both cards (tools/stamp-model-metrics.ts SUFFIX VALIDATION_PER).
# What stays by hand: the saytime count in tests/integration/real-speech-smoke.test.ts (its test runs
# at the end), the card's prose, README and DEVELOPERS, docs/BENCHMARKS.md's tables
# (tools/benchmarks-doc.ts), and the full npm test before committing. Stops at the first failing step.
#
# usage: tools/ship-candidate.sh RUN_DIR VERSION SUFFIX VALIDATION_PER MUSIC_DIR BASE_SUFFIX
#   RUN_DIR: hark adapt's --out (its exported best epoch); VERSION: e.g. 2026-12-06e; SUFFIX: the
#   result files' suffix, e.g. e4; VALIDATION_PER: hark adapt's real validation PER of the exported
#   epoch (0-1); MUSIC_DIR: the nine megaglest-data tracks of the word-confidence benchmark;
#   BASE_SUFFIX: the shipped model's result files' suffix (avg for 2026-12-06f).
set -euo pipefail
if [ "$#" -ne 6 ]; then
  sed -n '2,24p' "$0" >&2
  exit 2
fi
run_dir=$1 version=$2 suffix=$3 val_per=$4 music=$5 base_suffix=$6
cd "$(dirname "$0")/.."
[ -f "$run_dir/model.json" ] || { echo "ship-candidate: $run_dir has no exported model (model.json)" >&2; exit 1; }
[ -d data/real ] || { echo "ship-candidate: data/real is missing (npx hark real-set)" >&2; exit 1; }
[ -d "$music" ] || { echo "ship-candidate: music folder $music is missing" >&2; exit 1; }
for f in "real-keywords-val-content-$base_suffix" "phrase-noise-$base_suffix"; do
  [ -f "bench/results/$f.json" ] || { echo "ship-candidate: bench/results/$f.json (the shipped model's) is missing" >&2; exit 1; }
done
ts() { node bin/run-ts.mjs "$@"; }
step() { echo "[$(date -u +%H:%M:%S)] $*"; }

step "the shipping rule on the validation slice (tools/compare-validation.ts)"
verdict=$(ts tools/compare-validation.ts models-float/hark-en "$run_dir" --out "/tmp/ship-compare-$suffix.json" | tail -n 1)
echo "$verdict"
case "$verdict" in
  *"candidate ships"*) ;;
  *) echo "ship-candidate: the candidate does not meet the shipping rule; nothing changed" >&2; exit 1 ;;
esac
step "float reference $version"
ts tools/rename-model-version.ts "$run_dir" models-float/hark-en "$version"
step "int8 package"
node bin/hark.mjs export --model models-float/hark-en --out models/hark-en --int8
step "calibration on the validation slice"
node bin/hark.mjs calibrate --model models/hark-en --real data/real
step "keyword threshold by the rule (validation slice), beside noise and music"
m=models/hark-en
ts bench/phrase-noise.bench.ts --model $m --out "phrase-noise-$suffix" > "/tmp/ship-phrase-noise-$suffix.log" 2>&1 &
a=$!
ts bench/real-keywords.bench.ts --split val --keywords already,little,valley,another,thanks,security,elevator,dinosaur,questions,perfume,temple,doctor \
  --no-pocketsphinx --out "real-keywords-val-content-$suffix"
wait $a
ts tools/stamp-keyword-threshold.ts "bench/results/real-keywords-val-content-$suffix.json"
step "the rejection guard (tools/compare-rejection.ts $base_suffix $suffix)"
if ! ts tools/compare-rejection.ts "$base_suffix" "$suffix"; then
  git checkout -- models/hark-en models-float/hark-en
  echo "ship-candidate: the candidate fails the rejection guard; the shipped model is back (git checkout of models/hark-en and models-float/hark-en)" >&2
  exit 1
fi
step "accuracy benches (dev and held-out synthesized), two at a time"
ts bench/accuracy.bench.ts --model $m --out "accuracy-$suffix" > "/tmp/ship-accuracy-$suffix.log" 2>&1 &
a=$!
ts bench/real-speech.bench.ts --model $m --out "real-speech-$suffix" > "/tmp/ship-real-speech-$suffix.log" 2>&1
wait $a
ts bench/real-speech.bench.ts --model $m --words-only --out "real-speech-words-$suffix" > "/tmp/ship-real-speech-words-$suffix.log" 2>&1 &
a=$!
ts bench/real-keywords.bench.ts --model $m --out "real-keywords-$suffix" --no-pocketsphinx > "/tmp/ship-real-keywords-$suffix.log" 2>&1
wait $a
ts bench/word-confidence.bench.ts --model $m --music "$music" --out "word-confidence-$suffix" > "/tmp/ship-word-confidence-$suffix.log" 2>&1
tail -n 3 /tmp/ship-*-"$suffix".log
step "streaming"
ts bench/streaming.bench.ts
step "figures into the cards"
ts tools/stamp-model-metrics.ts "$suffix" "$val_per"
step "the smoke test on real speech (saytime; update its RECORDED_CORRECT by hand)"
npx vitest run tests/integration/real-speech-smoke.test.ts
step "done: now the docs by hand, tools/benchmarks-doc.ts, and npm test"
