// Prints the README's model card and benchmark tables as Markdown from models/hark-en/model.json
// and bench/results/*.json, so the README quotes exactly what the benchmarks measured.
// Run: node bin/run-ts.mjs bench/report.ts
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (p: string): Json | undefined => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const out: string[] = [];

const meta = load(join(root, 'models', 'hark-en', 'model.json'));
if (meta) {
  const t = meta.training, a = meta.architecture;
  const hist = (t.history ?? []) as Json[];
  out.push('### Model card', '',
    `| | |`, `|---|---|`,
    `| Architecture | ${a.layers} x ${a.bidirectional ? 'bidirectional' : 'unidirectional'} ${a.cell.toUpperCase()}, ${a.hidden} units per direction, linear + log-softmax over ${a.numUnits} units (39 ARPAbet phonemes + CTC blank); ${t.parameters?.toLocaleString('en-US')} parameters |`,
    `| Input | 13 MFCC + deltas + delta-deltas (10 ms hop, 32 ms window), 3 frames stacked, 33.3 frames/s |`,
    `| Training data | ${t.clips} synthesized utterances, ${Number(t.audioHours).toFixed(2)} h before augmentation; text: desktop commands, digit strings, spoken numbers, Brown-corpus sentences |`,
    `| Voices | espeak-ng (8 English accents x ~80 variants), flite (kal, kal16, awb, rms), festival (kal_diphone); family shares ${JSON.stringify(t.familyWeights)} |`,
    `| Held out (never trained on) | ${(t.heldoutVoices as string[]).join(', ')} |`,
    ...(meta.streaming ? [`| Graphs | \`model.onnx\` (whole utterance, 9.1 MB) and \`model.stream.onnx\` (LC-BLSTM from the same weights: chunks of ${meta.streaming.chunkFrames} frames = ${meta.streaming.chunkFrames * 30} ms, ${meta.streaming.lookaheadFrames} frames = ${meta.streaming.lookaheadFrames * 30} ms of look-ahead, forward state carried) |`] : []),
    `| Augmentation (on the fly, new every epoch) | speed 0.85-1.15, pitch/formant warp, padding, reverberation (RT60 0.1-0.9 s), noise 0-30 dB SNR (white, pink, brown, babble, hum, clicks), telephone band, G.711, low-pass, lossy codec, level -30..+6 dBFS with clipping, DC; SpecAugment |`,
    `| Training | ${t.epochsCompleted} epochs${t.history ? '' : ''}, ${t.steps} steps, ${t.trainingMinutes} min on 2 CPU cores (tfjs ${t.backend} backend), Adam, global-norm clipping |`,
    `| Recipe | \`${t.recipe}\` |`,
    `| Held-out phoneme error rate (greedy) | clean ${pct(meta.metrics.heldoutPerClean)}, augmented ${pct(meta.metrics.heldoutPerAugmented)} |`,
    '');
  if (hist.length) {
    out.push('| epoch | train loss | held-out PER clean | held-out PER augmented | frames/s |', '|---|---|---|---|---|');
    for (const h of hist) out.push(`| ${h.epoch + 1} | ${h.meanLoss.toFixed(2)} | ${pct(h.heldoutPerClean)} | ${pct(h.heldoutPerAugmented)} | ${h.framesPerSec.toFixed(0)} |`);
    out.push('');
  }
}

const acc = load(join(here, 'results', 'accuracy.json'));
if (acc) {
  out.push('### Accuracy on voices never used in training', '',
    `Command: \`node bin/run-ts.mjs bench/accuracy.bench.ts\`. Held-out voices: ${acc.heldoutVoices.join(', ')}. Speech clips get 15-30 dB of room noise. Thresholds and search settings are calibrated on training voices (${acc.calibrationVoices.join(', ')}), never on the held-out ones.`, '',
    '| task | result |', '|---|---|',
    `| Phrase mode, 20 commands + out-of-list speech + noise (${acc.phrase.total} clips) | **${pct(acc.phrase.accuracy)}** correct (false accepts ${acc.phrase.falseAccept}, false rejects ${acc.phrase.falseReject}, confusions ${acc.phrase.confusion}) |`,
    ...Object.entries(acc.phrase.byKind as Json).map(([k, v]) => `| &nbsp;&nbsp;${k} | ${pct(v.accuracy)} of ${v.total} |`),
    ...Object.entries(acc.phrase.byVoice as Json).map(([k, v]) => `| &nbsp;&nbsp;${k} | ${pct(v as number)} |`),
    `| Digit strings with \`--words\` (${acc.digits.strings} strings) | **WER ${pct(acc.digits.wer)}** |`,
    `| Open dictation, held-out Brown sentences (${acc.dictation.sentences}) | WER ${pct(acc.dictation.wer)} |`,
    '');
}

const speed = load(join(here, 'results', 'transcribe-speed.json'));
if (speed) {
  out.push('### Transcription speed and memory (one core)', '',
    `Command: \`node bin/run-ts.mjs bench/transcribe-speed.bench.ts\`: ${speed.audioSec.toFixed(0)} s of held-out speech in one WAV, each process pinned to one core with taskset.`, '',
    '| system | x real time (processing) | x real time incl. start-up | peak RSS |', '|---|---|---|---|');
  for (const r of speed.rows as Json[]) out.push(`| ${r.system} | ${r.xRealTime ? r.xRealTime.toFixed(0) + 'x' : '-'} | ${r.xRealTimeWithStartup.toFixed(1)}x | ${r.peakRssMb.toFixed(0)} MB |`);
  out.push('', `Stages of one dictation run (ms): ${Object.entries(speed.stagesMs).map(([k, v]) => `${k} ${(v as number).toFixed(0)}`).join(', ')}. Model file: ${(speed.modelBytes / 1e6).toFixed(1)} MB.`, '');
}

const feats = load(join(here, 'results', 'features.json'));
const tp = load(join(here, 'results', 'train-throughput.json'));
if (feats || tp) {
  out.push('### Front-end and training throughput', '');
  if (feats) out.push(`- Features (\`bench/features.bench.ts\`): ${feats.realTimeFactor.toFixed(0)}x real time on one core (streaming in 100 ms chunks: ${feats.streamingRealTimeFactor.toFixed(0)}x; \`Meyda.extract\` per frame would be ${(feats.audioSec * 1000 / feats.meydaExtractMfccMs).toFixed(0)}x).`);
  if (tp) for (const r of tp.results as Json[]) out.push(`- Training, tfjs WASM, kernels ${r.kernels} (\`bench/train-throughput.bench.ts\`): ${r.framesPerSec.toFixed(0)} frames/s (${r.audioSecPerSec.toFixed(1)} s of audio per second) for a ${r.layers}x${r.hidden} bidirectional ${r.cell.toUpperCase()}, batch ${r.batch}.`);
  if (tp) out.push(`- Speed-up from the kernel fixes: ${tp.speedup.toFixed(2)}x.`);
  out.push('');
}

const cells = load(join(here, 'results', 'cells.json'));
if (cells) {
  out.push('### Cell comparison', '', `Command: \`node bin/run-ts.mjs bench/cells.bench.ts\`: each variant trained by \`hark train\` on the same ${cells.clips} utterances for ${cells.epochs} epochs, ${cells.layers} layers of ${cells.hidden} units per direction; phoneme error rate on held-out voices (greedy decoding).`, '',
    '| cell | parameters | PER clean | PER augmented | training frames/s | inference x real time |', '|---|---|---|---|---|---|');
  for (const r of cells.rows as Json[]) out.push(`| ${r.variant} | ${r.parameters.toLocaleString('en-US')} | ${pct(r.heldoutPerClean)} | ${pct(r.heldoutPerAugmented)} | ${r.trainFramesPerSec.toFixed(0)} | ${r.inferenceXRealTime.toFixed(0)}x |`);
  out.push('');
}
const st = load(join(here, 'results', 'streaming.json'));
if (st) {
  out.push('### Streaming (one core)', '',
    `Command: \`node bin/run-ts.mjs bench/streaming.bench.ts\`: held-out clips pushed in ${st.pushMs} ms pieces (as the desktop app sends them), LC-BLSTM chunks of ${st.chunkFrames} frames with ${st.lookaheadFrames} frames of look-ahead (${st.chunkFrames * 30} + ${st.lookaheadFrames * 30} ms). Word latency = audio pushed when the word first showed in a partial minus the word's end in the final's alignment.`, '',
    `Word latency over ${st.words} words: **median ${st.latencyMedianMs.toFixed(0)} ms, 95th percentile ${st.latencyP95Ms.toFixed(0)} ms**.`, '',
    '| clips | finals WER | offline WER | latency median / p95 | stable prefix changed later | finals revising the stable prefix | compute streaming / offline (ms per audio s) |', '|---|---|---|---|---|---|---|');
  for (const r of st.sets as Json[]) out.push(`| ${r.name} (${r.clips}, ${r.audioSec.toFixed(0)} s) | ${pct(r.werStream)} | ${pct(r.werOffline)} | ${r.latencyMedianMs.toFixed(0)} / ${r.latencyP95Ms.toFixed(0)} ms | ${r.stableViolations} | ${r.finalsRevisingStable} of ${r.utterances} | ${r.streamMsPerSec.toFixed(1)} / ${r.offlineMsPerSec.toFixed(1)} (${(r.streamMsPerSec / r.offlineMsPerSec).toFixed(2)}x) |`);
  out.push('', `Streaming stages (ms per audio s, ${(st.sets as Json[])[0].name}): ${Object.entries((st.sets as Json[])[0].stages).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
}

const ch = load(join(here, 'results', 'chunking.json'));
if (ch) {
  out.push(`Chunking (\`node bin/run-ts.mjs bench/chunking.bench.ts\`, ${ch.clips} held-out clips decoded in dictation mode from each graph's posteriors, no VTLN):`, '',
    '| posteriors | dictation WER | best unit agrees with whole graph | ms per audio s |', '|---|---|---|---|',
    ...(ch.rows as Json[]).map((r) => `| ${r.config === 'whole utterance' ? r.config : `chunk ${r.config.split('x')[0]} + look-ahead ${r.config.split('x')[1]} frames`} | ${pct(r.wer)} | ${pct(r.argmaxAgreement)} | ${r.msPerAudioSec.toFixed(2)} |`), '');
}

const kw = load(join(here, 'results', 'keywords.json'));
if (kw) {
  const h = kw.heldout, r = h.streaming.run;
  out.push('### Keyword spotting and the one-hour stream', '',
    `Command: \`node bin/run-ts.mjs bench/keywords.bench.ts\`: keywords ${(kw.keywords as string[]).map((k) => `"${k}"`).join(', ')} in a ${h.minutes.toFixed(0)}-minute stream of the held-out voices (${h.occurrences} occurrences, alone and inside sentences, among ordinary sentences, pauses, loud noise bursts and music). Spotter options calibrated on a ${kw.calibration.minutes.toFixed(0)}-minute stream of training voices (${JSON.stringify(kw.calibration.chosen.opts)}).`, '',
    '| system | recall | alone | in sentences | false alarms per hour |', '|---|---|---|---|---|',
    `| Hark, streaming | **${pct(h.streaming.score.recall.recall)}** | ${h.streaming.score.byContext.alone.found}/${h.streaming.score.byContext.alone.total} | ${h.streaming.score.byContext['in-sentence'].found}/${h.streaming.score.byContext['in-sentence'].total} | **${h.streaming.score.falseAlarms.perHour.toFixed(1)}** |`,
    `| Hark, file mode | ${pct(h.file.score.recall.recall)} | ${h.file.score.byContext.alone.found}/${h.file.score.byContext.alone.total} | ${h.file.score.byContext['in-sentence'].found}/${h.file.score.byContext['in-sentence'].total} | ${h.file.score.falseAlarms.perHour.toFixed(1)} |`,
    ...(kw.pocketsphinx as Json[]).map((p) => `| PocketSphinx \`-kws\`, threshold ${p.threshold.toExponential(0)} | ${pct(p.recall)} | ${p.byContext.alone.found}/${p.byContext.alone.total} | ${p.byContext['in-sentence'].found}/${p.byContext['in-sentence'].total} | ${p.faPerHour.toFixed(1)} |`),
    '', `The same hour, streamed in 100 ms pushes: ${r.realTimeFactor.toFixed(0)}x real time, RSS ${r.rssSamples?.length ? `after ${r.rssSamples[0].audioMin} min ${r.rssSamples[0].rssMb} MB, after ${r.rssSamples[r.rssSamples.length - 1].audioMin} min ${r.rssSamples[r.rssSamples.length - 1].rssMb} MB (heap ${r.rssSamples[0].heapMb} -> ${r.rssSamples[r.rssSamples.length - 1].heapMb} MB; the decoded hour of audio itself is ~230 MB of it)` : `${r.rssStartMb} -> ${r.rssEndMb} MB`}, ${r.processedFrames} of ${r.expectedFrames} model frames processed (no audio dropped), slowest push ${r.slowestPushMs} ms for ${r.pushMs} ms of audio, ${r.finals} finals.`, '');
}
const soak = load(join(here, 'results', 'stream-soak.json'));
if (soak) {
  const first = soak.samples[0], last = soak.samples[soak.samples.length - 1];
  const rss = (soak.samples as Json[]).map((x) => x.rssMb);
  out.push(`One hour of live streaming (\`node bin/run-ts.mjs bench/stream-soak.bench.ts\`: the held-out hour read from disk 100 ms at a time, dictation with the five keywords, one recognizer): RSS ${first.rssMb} MB after ${first.audioMin} min and ${last.rssMb} MB after ${last.audioMin} min (between ${Math.min(...rss)} and ${Math.max(...rss)} MB every 5 minutes, the JS heap's garbage-collection sawtooth), ${soak.processedFrames} of ${soak.expectedFrames} model frames processed (nothing dropped), ${soak.realTimeFactor.toFixed(0)}x real time, slowest of ${soak.pushes} pushes ${soak.slowestPushMs} ms for 100 ms of audio.`, '');
}
const app = load(join(here, 'results', 'app.json'));
if (app?.latency && app.capture && app.idleMemory && app.freeze) {
  const l = app.latency, c = app.capture, m = app.idleMemory, f = app.freeze.duringTranscription, d = app.freeze.atDrop;
  const threads = (x: Json) => Object.entries(x.rendererThreadsPercentOfOneCore as Json).map(([k, v]) => `${k === 'chromium' ? 'main' : k.trim()} ${v}%`).join(', ');
  out.push('### Desktop app (end-to-end harness)', '',
    `Command: \`node bin/run-ts.mjs bench/app.bench.ts\`: the renderer bundle in Debian's Chromium (headless, software rendering), the fake microphone playing ${l.utterances} utterances of the 4 held-out voices (${l.clipSec} s), the web bridge and the real backend in its worker thread. Electron itself cannot run here.`, '',
    '| target | result |', '|---|---|',
    `| End of a spoken word to its text on screen, median <= 400 ms | **${l.latencyMs.median} ms** median, p90 ${l.latencyMs.p90} ms, p95 ${l.latencyMs.p95} ms (${l.wordsMeasured} words, ${l.pushMs} ms pushes; the slow tail are words that only appear with the final) |`,
    `| Capture and features in the renderer <= 5% of one core | **${c.rendererCpuPercentOfOneCore}%** with no transcript painted (Settings screen shown, level meter live); by thread: ${threads(c)}. While dictating on the Dictation screen: ${l.rendererCpuPercentOfOneCore}% (${threads(l)}) |`,
    `| Idle app memory <= 250 MB | **${m.appPssMB} MB** proportional (PSS): backend process (host + worker, model loaded) ${m.backendPssMB} MB + renderer ${m.rendererPssMB} MB; resident (RSS) ${m.backendRssMB} + ${m.rendererRssMB} = ${m.appRssMB} MB. Electron's own browser and GPU processes are not included (Chromium's here: ${m.chromiumAllProcessesPssMB} MB PSS for all its processes) |`,
    `| No UI freeze above 50 ms while a long file is transcribed | **${f.longTasks} long tasks**, largest gap between frames ${f.maxFrameGapMs} ms (p99 ${f.p99FrameGapMs} ms) over ${app.freeze.transcribeSec} s transcribing a ${app.freeze.fileMinutes}-minute file; host thread event-loop delay max ${f.hostEventLoopMaxDelayMs} ms. The drop itself (the web bridge sends the file's bytes; Electron sends its path): long tasks ${JSON.stringify(d.longTasksMs)} ms |`,
    '');
}
const nw = load(join(here, 'results', 'new-words.json'));
if (nw) {
  out.push('### New words, recognized at once (before any retraining)', '',
    `Command: \`node bin/run-ts.mjs bench/new-words.bench.ts\`: ten words the model never trained on (${(nw.words as Json[]).map((w) => w.word).join(', ')}), added as \`hark words add\` does (all ${(nw.words as Json[]).every((w) => w.source === 'g2p') ? 'G2P guesses' : 'CMUdict or G2P'}), as the commands "open <word>" in phrase mode, each said twice by the 4 held-out voices: **${pct(nw.accuracy)}** correct (${nw.correct}/${nw.total}; ${Object.entries(nw.byVoice as Json).map(([k, v]) => `${k} ${pct(v as number)}`).join(', ')}); weakest ${Object.entries(nw.byPhrase as Json).filter(([, v]) => (v as number) < 0.8).map(([k, v]) => `"${k}" ${pct(v as number)}`).join(', ') || 'none below 80%'}; ordinary commands falsely accepted: ${nw.distractorFalseAccepts}.`, '');
}
console.log(out.join('\n'));
