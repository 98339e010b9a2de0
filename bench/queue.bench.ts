// `hark queue` (BullMQ on Redis, loopback) on this machine:
// 1. throughput: 1, 2, 4 and 8 worker processes (`hark queue worker --jobs 1`, one recognizer
//    thread each) on the same clips: files and audio seconds per second from the first job's start
//    to the last one's finish, and per-core efficiency (speed-up / min(workers, cores));
// 2. queue overhead per job: a bare BullMQ round trip (empty job, one worker, one at a time), and
//    Hark's own work around recognition (hash, kept-result lookup, atomic write) from job timings;
// 3. kill one of 3 workers (SIGKILL, a random one running a job) every --kill-every seconds and start
//    a new one, on clips of --kill-clip-sec (so the run outlasts several kills): every clip must be
//    completed exactly once, outputs identical to a clean run's (3 workers, no kills);
// 4. --big queued jobs (hard links to one short clip): submit time and Redis memory.
// Clips: the two sample recordings, alternating with 0.3 s pauses up to --clip-sec seconds (long
// enough that a 500-clip run outlasts a few kill intervals), each marked in its first two samples
// so every file has its own content (otherwise the queue would recognize one and reuse it).
// Outputs are --format text --raw-text (the recognized words).
// Run: nice -n 10 node bin/run-ts.mjs bench/queue.bench.ts [--clips 500] [--clip-sec 10] [--workers 1,2,4,8]
//      [--kill-every 30] [--kill-lock 5] [--kill-clip-sec 45] [--big 100000] [--model DIR] [--note TEXT]
//      [--sections throughput,overhead,kill,big]  (sections not run keep their figures from the previous queue.json)
// Writes bench/results/queue.json.
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { decodeAudioFile, encodeWav } from '../src-main/audio/index.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { SAMPLE_RATE } from '../src-shared/features/config.ts';
import { spawnHark, startRedisServer, type HarkProcess } from '../testkit/queue-harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '500' }, 'clip-sec': { type: 'string', default: '10' }, workers: { type: 'string', default: '1,2,4,8' },
    'kill-every': { type: 'string', default: '30' }, 'kill-lock': { type: 'string', default: '5' },
    big: { type: 'string', default: '100000' }, 'bare-jobs': { type: 'string', default: '2000' },
    'kill-clip-sec': { type: 'string', default: '45' }, sections: { type: 'string', default: 'throughput,overhead,kill,big' },
    model: { type: 'string' }, note: { type: 'string' },
  },
});
const count = Number(values.clips);
const clipSec = Number(values['clip-sec']);
const workerCounts = values.workers.split(',').map(Number);
const killEverySec = Number(values['kill-every']);
const killLockSec = Number(values['kill-lock']);
const bigCount = Number(values.big);
const killClipSec = Number(values['kill-clip-sec']);
const sections = new Set(values.sections.split(','));
const previous = (() => { try { return JSON.parse(readFileSync(join(here, 'results', 'queue.json'), 'utf8')) as Record<string, unknown>; } catch { return {}; } })();
const bareJobs = Number(values['bare-jobs']);
const modelDir = resolveModelDir(values.model);
const cores = cpus().length;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const dir = mkdtempSync(join(tmpdir(), 'hark-queue-bench-'));
mkdirSync(join(dir, 'redis'));
const redis = await startRedisServer(join(dir, 'redis'));
const client = new Redis(redis.url);
const conn = (q: string) => ['--redis', redis.url, '--queue', q];

// Clips.
const samples = await Promise.all(['digits.wav', 'open-the-browser.wav'].map(async (f) => (await decodeAudioFile(join(root, 'assets', 'samples', f))).samples));
const pause = new Float32Array(Math.round(0.3 * SAMPLE_RATE));
/** `n` clips of about `sec` seconds in a new folder `name`; their total audio seconds. */
function makeClips(name: string, n: number, sec: number): { dir: string; audioSec: number } {
  const out = join(dir, name);
  mkdirSync(out);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const parts: Float32Array[] = [];
    for (let k = i; parts.reduce((m, p) => m + p.length, 0) < sec * SAMPLE_RATE; k++) parts.push(samples[k % 2], pause);
    const pcm = new Float32Array(parts.reduce((m, p) => m + p.length, 0));
    parts.reduce((at, p) => { pcm.set(p, at); return at + p.length; }, 0);
    pcm[0] = (i % 256) / 32768;
    pcm[1] = Math.floor(i / 256) / 32768;
    total += pcm.length / SAMPLE_RATE;
    writeFileSync(join(out, `clip-${String(i).padStart(5, '0')}.wav`), encodeWav(pcm, SAMPLE_RATE));
  }
  return { dir: out, audioSec: total };
}
const { dir: clipsDir, audioSec } = makeClips('clips', count, clipSec);
log(`${count} clips, ${audioSec.toFixed(0)} s of audio; Redis at ${redis.url}; ${cores} cores, load ${loadavg()[0].toFixed(2)}`);

/** `hark queue submit` of the clip folder; its wall time. */
async function submit(q: string, out: string, input: string): Promise<{ sec: number; summary: Record<string, unknown> }> {
  const t = performance.now();
  const p = spawnHark(['queue', 'submit', input, '--format', 'text', '--raw-text', '--model', modelDir, '--out', out, '--json', ...conn(q)]);
  const code = await p.exited;
  if (code !== 0) throw new Error(`submit failed (${code}): ${p.stderr()}`);
  return { sec: (performance.now() - t) / 1000, summary: p.lines[0] };
}

const startWorker = (q: string, lockSec?: number): HarkProcess =>
  spawnHark(['queue', 'worker', '--jobs', '1', '--until-empty', '--model', modelDir, ...(lockSec ? ['--lock-seconds', String(lockSec)] : []), ...conn(q)]);

/** Start-to-finish figures of a queue's completed jobs. */
async function finished(q: string): Promise<{ spanSec: number; recognizeMs: number[]; overheadMs: number[]; totalMs: number[]; completed: number; failed: number }> {
  const queue = new Queue(q, { connection: client });
  const counts = await queue.getJobCounts('completed', 'failed');
  const jobs = (await queue.getJobs(['completed'], 0, -1)).filter(Boolean);
  await queue.close();
  const start = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
  const end = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
  const t = jobs.map((j) => (j.returnvalue as { timings: { recognizeMs: number; totalMs: number } }).timings);
  return { spanSec: (end - start) / 1000, recognizeMs: t.map((x) => x.recognizeMs), overheadMs: t.map((x) => x.totalMs - x.recognizeMs), totalMs: t.map((x) => x.totalMs), completed: counts.completed, failed: counts.failed };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const r2 = (x: number) => Math.round(x * 100) / 100;

// 1. Throughput.
const throughput: Record<string, unknown>[] = [];
for (const n of sections.has('throughput') ? workerCounts : []) {
  const q = `tp-${n}`;
  const sub = await submit(q, join(dir, `out-${n}`), clipsDir);
  const load = loadavg()[0];
  const t = performance.now();
  const ws = Array.from({ length: n }, () => startWorker(q));
  const codes = await Promise.all(ws.map((w) => w.exited));
  if (codes.some((c) => c !== 0)) throw new Error(`a worker failed: ${ws.map((w) => w.stderr()).join('\n')}`);
  const wallSec = (performance.now() - t) / 1000;
  const f = await finished(q);
  if (f.completed !== count || f.failed !== 0) throw new Error(`${n} workers: ${f.completed} completed, ${f.failed} failed`);
  throughput.push({
    workers: n, submitSec: r2(sub.sec), spanSec: r2(f.spanSec), wallSecWithStartup: r2(wallSec),
    filesPerSec: r2(count / f.spanSec), audioSecPerSec: r2(audioSec / f.spanSec),
    medianRecognizeMs: r2(median(f.recognizeMs)), medianJobOverheadMs: r2(median(f.overheadMs)), loadBefore: r2(load),
  });
  log(`${n} worker(s): ${(count / f.spanSec).toFixed(2)} files/s (${(audioSec / f.spanSec).toFixed(1)} s of audio per s) over ${f.spanSec.toFixed(1)} s; submit ${sub.sec.toFixed(1)} s; median recognize ${median(f.recognizeMs).toFixed(0)} ms, around it ${median(f.overheadMs).toFixed(1)} ms`);
}
const base = throughput.find((r) => r.workers === 1)?.filesPerSec as number | undefined;
for (const r of throughput) {
  if (!base) break;
  r.speedUp = r2((r.filesPerSec as number) / base);
  r.perCoreEfficiency = r2((r.filesPerSec as number) / base / Math.min(r.workers as number, cores));
}

// 2. Overhead: a bare BullMQ round trip per job (add excluded), one worker, one job at a time.
let overhead: Record<string, unknown> | null = null;
if (sections.has('overhead')) {
const bareQueue = new Queue('bare', { connection: client });
await bareQueue.addBulk(Array.from({ length: bareJobs }, (_, i) => ({ name: 'x', data: { i } })));
const bareConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
const bareWorker = new Worker('bare', async () => null, { connection: bareConnection, concurrency: 1, autorun: false });
let bareDone = 0;
const bareStart = performance.now();
const allDone = new Promise<void>((res) => bareWorker.on('completed', () => { if (++bareDone === bareJobs) res(); }));
void bareWorker.run();
await allDone;
const bareMsPerJob = (performance.now() - bareStart) / bareJobs;
await bareWorker.close();
bareConnection.disconnect();
await bareQueue.obliterate({ force: true });
await bareQueue.close();
const one = throughput.find((r) => r.workers === 1);
overhead = {
  bullmqRoundTripMsPerJob: r2(bareMsPerJob),
  harkAroundRecognitionMedianMs: one?.medianJobOverheadMs ?? null,
  note: 'bullmq: fetch + lock + complete of an empty job, one worker, one job at a time; hark: hash of the file, kept-result lookup and store, atomic output write (job timings, 1-worker run)',
};
log(`overhead per job: BullMQ ${bareMsPerJob.toFixed(2)} ms, Hark around recognition ${String(overhead.harkAroundRecognitionMedianMs)} ms`);
}

// 3. Kill one of 3 workers every killEverySec, start a new one; every clip exactly once, outputs identical.
let killRun: Record<string, unknown> | null = null;
if (sections.has('kill')) {
// Longer clips than the throughput runs', so that the run outlasts several kill intervals; a clean
// run of the same clips (3 workers, no kills) gives the reference outputs.
const kc = makeClips('kill-clips', count, killClipSec);
log(`kill run: ${count} clips, ${kc.audioSec.toFixed(0)} s of audio`);
const cleanStart = performance.now();
await submit('kill-clean', join(dir, 'out-clean'), kc.dir);
const cleanWorkers = Array.from({ length: 3 }, () => startWorker('kill-clean', killLockSec));
await Promise.all(cleanWorkers.map((w) => w.exited));
const cleanSec = (performance.now() - cleanStart) / 1000;
log(`clean run: ${cleanSec.toFixed(0)} s`);
const killQ = 'kill';
await submit(killQ, join(dir, 'out-kill'), kc.dir);
let workers = Array.from({ length: 3 }, () => startWorker(killQ, killLockSec));
const all = [...workers];
const kills: { atSec: number; job: unknown }[] = [];
const killStart = performance.now();
const pending = async () => {
  const q = new Queue(killQ, { connection: client });
  const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  await q.close();
  return c.waiting + c.active + c.delayed + c.prioritized;
};
let nextKill = killStart + killEverySec * 1000;
while (await pending() > 0) {
  if (performance.now() >= nextKill) {
    nextKill += killEverySec * 1000;
    // A worker in the middle of a job: its last log line is a job start or recognition.
    const busy = workers.filter((w) => ['job-start', 'job-recognizing'].includes(String(w.lines.at(-1)?.event)));
    const victim = (busy.length ? busy : workers)[Math.floor(Math.random() * (busy.length || workers.length))];
    kills.push({ atSec: r2((performance.now() - killStart) / 1000), job: victim.lines.at(-1)?.job ?? null });
    victim.child.kill('SIGKILL');
    await victim.exited;
    workers = [...workers.filter((w) => w !== victim), startWorker(killQ, killLockSec)];
    all.push(workers.at(-1)!);
    log(`killed a worker at ${kills.at(-1)!.atSec} s (job ${String(kills.at(-1)!.job)})`);
  }
  await sleep(500);
}
await Promise.all(workers.map((w) => w.exited));
const killSec = (performance.now() - killStart) / 1000;
const doneByJob = new Map<string, number>();
for (const w of all) for (const l of w.lines) if (l.event === 'job-done') doneByJob.set(String(l.job), (doneByJob.get(String(l.job)) ?? 0) + 1);
const recognizedTwice = new Set<string>();
const seen = new Set<string>();
for (const w of all) for (const l of w.lines) if (l.event === 'job-recognizing') { if (seen.has(String(l.job))) recognizedTwice.add(String(l.job)); seen.add(String(l.job)); }
const kf = await finished(killQ);
const names = Array.from({ length: count }, (_, i) => `clip-${String(i).padStart(5, '0')}.wav.txt`);
const differing = names.filter((n) => readFileSync(join(dir, 'out-kill', n), 'utf8') !== readFileSync(join(dir, 'out-clean', n), 'utf8'));
killRun = {
  date: new Date().toISOString(), clips: count, clipSec: killClipSec, audioSec: r2(kc.audioSec), cleanRunSec: r2(cleanSec),
  workers: 3, killEverySec, lockSec: killLockSec, wallSec: r2(killSec), kills: kills.length, killLog: kills,
  completed: kf.completed, failed: kf.failed,
  jobsCompletedOnce: [...doneByJob.values()].filter((v) => v === 1).length,
  jobsCompletedMoreThanOnce: [...doneByJob.values()].filter((v) => v > 1).length,
  jobsRecognizedAgainAfterAKill: recognizedTwice.size,
  outputsIdenticalToCleanRun: differing.length === 0, outputsDiffering: differing.length,
};
log(`kill run: ${kills.length} kills in ${killSec.toFixed(0)} s; ${killRun.jobsCompletedOnce} jobs completed once, ${killRun.jobsCompletedMoreThanOnce} more than once; ${differing.length} outputs differ from the clean run`);
}

// 4. Many queued jobs: hard links to one short clip (each its own path, so its own job).
let big: Record<string, unknown> | null = null;
if (sections.has('big') && bigCount > 0) {
  const bigDir = join(dir, 'big');
  mkdirSync(bigDir);
  // A file system allows so many links per file (ext4: 65,000): a new source file every 50,000.
  for (let i = 0; i < bigCount; i++) {
    const tiny = join(dir, `tiny-${Math.floor(i / 50_000)}.wav`);
    if (i % 50_000 === 0) writeFileSync(tiny, encodeWav(samples[0].slice(0, SAMPLE_RATE / 4), SAMPLE_RATE));
    linkSync(tiny, join(bigDir, `c${String(i).padStart(6, '0')}.wav`));
  }
  const memBefore = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  const sub = await submit('big', join(dir, 'out-big'), bigDir);
  const memAfter = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  const bigQueue = new Queue('big', { connection: client });
  const waiting = (await bigQueue.getJobCounts('waiting')).waiting;
  big = {
    date: new Date().toISOString(), jobs: bigCount, queued: sub.summary.queued, waiting, submitSec: r2(sub.sec), jobsPerSec: Math.round(bigCount / sub.sec),
    redisMemoryMb: r2((memAfter - memBefore) / 2 ** 20), bytesPerJob: Math.round((memAfter - memBefore) / bigCount),
  };
  log(`${bigCount} jobs: submitted in ${sub.sec.toFixed(1)} s, Redis memory +${(big.redisMemoryMb as number).toFixed(0)} MB (${String(big.bytesPerJob)} B per job)`);
  await bigQueue.obliterate({ force: true });
  await bigQueue.close();
}

client.disconnect();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'queue.json'), `${JSON.stringify({
  date: new Date().toISOString(), sections: [...sections],
  command: `nice -n 10 node bin/run-ts.mjs bench/queue.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  model: modelDir, cores, cpu: cpus()[0]?.model, clips: count, clipSec, audioSec: r2(audioSec),
  redis: 'redis-server 7 on 127.0.0.1, appendonly yes, appendfsync everysec',
  // Sections not run this time (--sections) are kept from the previous result file, each with its date.
  throughput: sections.has('throughput') ? throughput : previous.throughput ?? null,
  throughputDate: sections.has('throughput') ? new Date().toISOString() : previous.throughputDate ?? null,
  overhead: overhead ?? previous.overhead ?? null,
  killRun: killRun ?? previous.killRun ?? null,
  big: big ?? previous.big ?? null,
  loadAverageEnd: loadavg(), ...(values.note ? { note: values.note } : {}),
}, null, 2)}\n`);
