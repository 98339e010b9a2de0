/**
 * `hark queue`: transcription of archives on a BullMQ job queue in Redis, with workers on as many
 * machines as can read the files (docs/SCALE-OUT.md).
 *   hark queue submit <files|folders|globs> [--out DIR] [--format F] [recognizer options] [--priority N]
 *   hark queue worker [--jobs N] [--model DIR] [--lock-seconds S] [--until-empty]   (JSON log lines on stdout)
 *   hark queue status [--json] [--watch]
 *   hark queue retry [JOB...]
 *   hark queue clean [--failed] [--results] [--grace S]
 * Every subcommand takes --redis URL (default $HARK_REDIS_URL, else redis://127.0.0.1:6379) and
 * --queue NAME (default "hark"). Exit status: 0 ok, 1 some input could not be queued (submit) or
 * Redis could not be reached, 2 usage error.
 */
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { helpText, parseCommand, UsageError, type CommandSpec, type OptionSpec, type ParsedOptions } from './cli-args.ts';
import { jobsFromOptions } from './batch-recognizer.ts';
import { formatDuration, ProgressBar } from './progress-bar.ts';
import type { OutputFormat } from '../engine/transcript-formats.ts';
import { modelIdentity } from '../model/model-identity.ts';
import { listModels } from '../model/model-registry.ts';
import { PACKAGE_ROOT, resolveModelDir } from '../model/package-paths.ts';
import { defaultUserDataDir } from '../lexicon/user-vocabulary.ts';
import { DEFAULT_QUEUE_NAME, DEFAULT_REDIS_URL, openQueue, redisUrlFrom } from '../queue/queue-connection.ts';
import { expandQueueInputs } from '../queue/queue-inputs.ts';
import { OUTPUT_EXTENSIONS } from '../queue/job-output.ts';
import { submitJobs } from '../queue/queue-submit.ts';
import type { WorkerModel } from '../queue/queue-worker.ts';
import { queueStatus, type QueueStatus } from '../queue/queue-status.ts';
import { QueueResults } from '../queue/queue-results.ts';
import type { JobRecognizerOptions } from '../queue/transcription-job.ts';

const connectionOptions: Record<string, OptionSpec> = {
  redis: { type: 'string', help: `Redis URL (default: $HARK_REDIS_URL, else ${DEFAULT_REDIS_URL})` },
  queue: { type: 'string', help: 'Queue name (several archives can share one Redis)', default: DEFAULT_QUEUE_NAME },
};

const SUBMIT = {
  name: 'queue submit',
  summary: 'Queue one transcription job per audio file (a folder: every audio file below it; a quoted glob: the files it matches).',
  usage: 'hark queue submit <files|folders|globs...> [--out DIR] [--format text|json|srt|vtt] [--phrases FILE | --words FILE] [--keywords FILE] [--priority N]\n\n'
      + 'Jobs name each file by its absolute path: every worker must read it at that path (shared storage).\n'
      + 'Each output is what `hark transcribe FILE --format F` prints for that file, written as\n'
      + '<the file\'s path below its argument><.txt|.json|.srt|.vtt> under --out (default: next to the file).\n'
      + 'A file already queued or done with the same content, options, model version and output is skipped;\n'
      + 'list files, keywords and your words are read here and travel with the jobs.',
};

/**
 * `submit`'s options: transcribe's recognizer and dictation options (imported here, on use, so the
 * other subcommands start without the recognizer's modules).
 */
async function submitSpec(): Promise<CommandSpec> {
  const { recognizerOptionSpecs, maxHoursOptionSpec } = await import('./recognizer-options.ts');
  const { transcribeSpec } = await import('./transcribe-command.ts');
  const { OUTPUT_FORMATS } = await import('../engine/transcript-formats.ts');
  const { provider: _provider, ...jobRecognizerSpecs } = recognizerOptionSpecs;
  return {
    ...SUBMIT,
    options: {
      ...connectionOptions,
      out: { type: 'string', help: 'Folder the outputs are written under (default: next to each input)' },
      format: { type: 'string', help: 'Output format', default: 'text', choices: OUTPUT_FORMATS },
      priority: { type: 'number', help: 'Job priority: 1 is the highest, larger numbers wait for smaller ones (default: none, first in first out)' },
      ...jobRecognizerSpecs,
      'max-hours': maxHoursOptionSpec,
      'raw-text': transcribeSpec.options['raw-text'],
      'no-punctuation': transcribeSpec.options['no-punctuation'],
      'endpoint-silence': { ...transcribeSpec.options['endpoint-silence'], help: 'Dictation: a pause this long between two words ends an utterance (spoken editing)' },
      json: { type: 'boolean', help: 'Print the summary as JSON' },
    },
  };
}

const SPECS: Record<string, CommandSpec> = {
  submit: { ...SUBMIT, options: {} },
  worker: {
    name: 'queue worker',
    summary: 'Take jobs from the queue and write their outputs; one JSON log line per event on stdout. Runs until interrupted (SIGINT/SIGTERM: finishes its jobs first).',
    usage: 'hark queue worker [--jobs N] [--model DIR] [--lock-seconds S] [--until-empty]',
    options: {
      ...connectionOptions,
      jobs: { type: 'number', help: `Jobs at once, each in its own recognizer thread (default: every core, ${availableParallelism()} here)` },
      model: { type: 'string', help: 'The one model package this worker runs (default: every installed version: the shipped ones and those in the user data folder)' },
      provider: { type: 'string', help: 'onnxruntime execution provider', default: 'cpu', choices: ['cpu', 'cuda'] },
      'lock-seconds': { type: 'number', help: 'Job lock: a job whose worker stops renewing it (killed, frozen, cut off) goes to another worker after about this long', default: 30 },
      'until-empty': { type: 'boolean', help: 'Exit once no job is waiting, delayed or running' },
    },
  },
  status: {
    name: 'queue status',
    summary: 'Show job counts, throughput, ETA, mean per-job timings, running jobs and failures.',
    usage: 'hark queue status [--json] [--watch [--interval S]]',
    options: {
      ...connectionOptions,
      json: { type: 'boolean', help: 'Print JSON' },
      watch: { type: 'boolean', help: 'Show a progress bar on stderr until nothing is waiting or running, then the status' },
      interval: { type: 'number', help: 'With --watch: seconds between updates', default: 1 },
    },
  },
  retry: {
    name: 'queue retry',
    summary: 'Queue failed jobs again (all of them, or the given job ids), e.g. after installing a missing model or fixing a file.',
    usage: 'hark queue retry [JOB...]',
    options: { ...connectionOptions },
  },
  clean: {
    name: 'queue clean',
    summary: 'Remove finished jobs (completed; with --failed also failed ones). Kept recognitions still spare re-recognizing a resubmitted file unless --results drops them too.',
    usage: 'hark queue clean [--failed] [--results] [--grace S]',
    options: {
      ...connectionOptions,
      failed: { type: 'boolean', help: 'Also remove failed jobs' },
      results: { type: 'boolean', help: 'Also forget the kept recognitions (files submitted again will be recognized again)' },
      grace: { type: 'number', help: 'Keep jobs that finished less than this many seconds ago', default: 0 },
    },
  },
};

function usage(): string {
  const rows = Object.entries(SPECS).map(([k, s]) => `  ${k.padEnd(8)} ${s.summary}`);
  return `hark queue: transcribe archives with workers on many machines (BullMQ on Redis; docs/SCALE-OUT.md)\n\nUsage: hark queue <submit|worker|status|retry|clean> [options]\n\n${rows.join('\n')}\n\nRun "hark queue <subcommand> --help" for its options.\n`;
}

export async function queueCommand(argv: string[]): Promise<number> {
  const [sub] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(usage());
    return sub ? 0 : 2;
  }
  const spec = sub === 'submit' ? await submitSpec() : Object.hasOwn(SPECS, sub) ? SPECS[sub] : undefined;
  if (!spec) throw new UsageError(`queue: unknown subcommand "${sub}"\n\n${usage()}`);
  const { options: o, positionals, help } = parseCommand(spec, argv.slice(1));
  if (help) { process.stdout.write(helpText(spec)); return 0; }
  if (sub !== 'submit' && sub !== 'retry' && positionals.length) throw new UsageError(`${spec.name}: unexpected argument "${positionals[0]}"`);
  const url = redisUrlFrom(o.redis === undefined ? undefined : String(o.redis));
  const name = String(o.queue);
  switch (sub) {
    case 'submit': return submit(positionals, o, url, name);
    case 'worker': return worker(o, url, name);
    case 'status': return status(o, url, name);
    case 'retry': return retry(positionals, url, name);
    default: return clean(o, url, name);
  }
}

async function submit(inputs: string[], o: ParsedOptions, url: string, name: string): Promise<number> {
  if (inputs.length === 0) throw new UsageError(`queue submit: no input files\n\n${helpText(await submitSpec())}`);
  const { keywordsFromOptions, modeFromOptions, recognizerOptions } = await import('./recognizer-options.ts');
  const { dictationFormatting } = await import('./transcribe-command.ts');
  const priority = o.priority === undefined ? 0 : Number(o.priority);
  if (!Number.isInteger(priority) || priority < 0 || priority > 2_097_152) throw new UsageError(`queue submit: --priority must be a whole number from 0 to 2097152, got ${String(o.priority)}`);
  const mode = await modeFromOptions('queue submit', o);
  const keywords = await keywordsFromOptions('queue submit', o);
  const { modelDir, provider: _p, lmPath, ...options } = recognizerOptions('queue submit', o, mode, keywords);
  const jobOptions: JobRecognizerOptions = { ...options, ...(lmPath !== undefined ? { lmPath: resolve(lmPath) } : {}) };
  const model = await modelIdentity(resolveModelDir(modelDir));
  const format = o.format as OutputFormat;
  let found;
  try {
    found = await expandQueueInputs(inputs, OUTPUT_EXTENSIONS[format], o.out === undefined ? undefined : String(o.out));
  } catch (e) {
    throw new UsageError(`queue submit: ${(e as Error).message}`);
  }
  const q = await openQueue(url, name);
  try {
    const bar = new ProgressBar();
    const t0 = performance.now();
    const s = await submitJobs(q.queue, q.redis, found, { model, options: jobOptions, format, formatting: dictationFormatting(o, mode), priority },
      found.length > 2000 ? (done) => bar.update(done, found.length, 'hashed and queued', t0) : undefined);
    if (found.length > 2000) bar.done();
    if (o.json) process.stdout.write(`${JSON.stringify({ queue: name, model, ...s })}\n`);
    else {
      process.stdout.write(`queued ${s.queued} job${s.queued === 1 ? '' : 's'} on "${name}" (${model.name} ${model.version}, sha256 ${model.sha256.slice(0, 12)}); ${s.duplicates} already queued or done; ${s.seconds.toFixed(1)} s\n`);
      for (const u of s.unreadable) process.stderr.write(`${u.file}: error: cannot read it (${u.error}); not queued\n`);
    }
    return s.unreadable.length ? 1 : 0;
  } finally {
    await q.close();
  }
}

/** The models a worker runs: --model's, else every installed version (broken ones are reported and skipped). */
async function workerModels(o: ParsedOptions): Promise<WorkerModel[]> {
  if (o.model !== undefined) {
    const dir = resolveModelDir(String(o.model));
    return [{ dir, identity: await modelIdentity(dir) }];
  }
  const { models, broken } = await listModels([{ dir: join(PACKAGE_ROOT, 'models'), shipped: true }, { dir: join(defaultUserDataDir(), 'models'), shipped: false }]);
  for (const b of broken) process.stderr.write(`queue worker: skipping the model in ${b.dir}: ${b.reason}\n`);
  const out: WorkerModel[] = [];
  for (const m of models) {
    try {
      out.push({ dir: m.dir, identity: await modelIdentity(m.dir) });
    } catch (e) {
      process.stderr.write(`queue worker: skipping the model in ${m.dir}: ${(e as Error).message}\n`);
    }
  }
  return out;
}

async function worker(o: ParsedOptions, url: string, name: string): Promise<number> {
  const concurrency = jobsFromOptions('queue worker', o);
  const lock = Number(o['lock-seconds']);
  if (!(lock >= 1 && lock <= 3600)) throw new UsageError(`queue worker: --lock-seconds must be from 1 to 3600, got ${String(o['lock-seconds'])}`);
  const models = await workerModels(o);
  if (models.length === 0) throw new Error('no usable model package: install one (hark models import DIR) or give --model DIR');
  // Fail early, with the URL, when Redis is not there (the worker's own connections wait for it forever).
  await (await openQueue(url, name)).close();
  const { startQueueWorker } = await import('../queue/queue-worker.ts');
  const w = startQueueWorker({
    redisUrl: url, queueName: name, concurrency, models, provider: o.provider as 'cpu' | 'cuda',
    lockMs: lock * 1000, untilEmpty: Boolean(o['until-empty']),
    log: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  });
  const onSignal = () => { void w.stop(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await w.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

function statusText(s: QueueStatus): string {
  const c = s.counts;
  const lines = [
    `queue "${s.queue}": ${c.waiting} waiting, ${c.active} running, ${c.delayed} delayed, ${c.completed} completed, ${c.failed} failed`,
    `throughput ${s.throughputPerSec.toFixed(2)} files/s over the last minute; ETA ${s.etaSec === null ? 'unknown (nothing finishing)' : formatDuration(s.etaSec)}`,
  ];
  if (s.timings) {
    const t = s.timings;
    lines.push(`per job (mean of the latest ${t.jobs}, ${t.cached} from kept results): ${t.audioSec.toFixed(1)} s of audio, waited ${(t.waitMs / 1000).toFixed(1)} s, hash ${t.hashMs} ms, recognize ${t.recognizeMs} ms, write ${t.writeMs} ms, total ${t.totalMs} ms`);
  }
  for (const a of s.active) lines.push(`running ${a.file} (${a.progress}%, ${a.runningSec} s)`);
  for (const f of s.failures) lines.push(`failed ${f.file} after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.error}`);
  return `${lines.join('\n')}\n`;
}

async function status(o: ParsedOptions, url: string, name: string): Promise<number> {
  const interval = Number(o.interval);
  if (!(interval >= 0.1 && interval <= 3600)) throw new UsageError(`queue status: --interval must be from 0.1 to 3600 seconds, got ${String(o.interval)}`);
  const q = await openQueue(url, name);
  try {
    let s = await queueStatus(q.queue, q.redis);
    if (o.watch) {
      const bar = new ProgressBar();
      const t0 = performance.now();
      for (;;) {
        const c = s.counts;
        const left = c.waiting + c.delayed + c.active;
        bar.update(c.completed + c.failed, c.completed + c.failed + left, `${s.throughputPerSec.toFixed(2)} files/s, ${c.active} running, ${c.failed} failed`, t0);
        if (left === 0) break;
        await new Promise((r) => setTimeout(r, interval * 1000));
        s = await queueStatus(q.queue, q.redis);
      }
      bar.done();
    }
    process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : statusText(s));
    return 0;
  } finally {
    await q.close();
  }
}

async function retry(ids: string[], url: string, name: string): Promise<number> {
  const q = await openQueue(url, name);
  try {
    if (ids.length === 0) {
      const n = (await q.queue.getJobCounts('failed')).failed;
      await q.queue.retryJobs({ state: 'failed', count: 1000 });
      process.stdout.write(`queued ${n} failed job${n === 1 ? '' : 's'} again\n`);
      return 0;
    }
    let missing = 0;
    for (const id of ids) {
      const job = await q.queue.getJob(id);
      if (!job || !(await job.isFailed())) {
        process.stderr.write(`queue retry: no failed job ${id}\n`);
        missing++;
        continue;
      }
      await job.retry('failed');
    }
    process.stdout.write(`queued ${ids.length - missing} failed job${ids.length - missing === 1 ? '' : 's'} again\n`);
    return missing ? 1 : 0;
  } finally {
    await q.close();
  }
}

async function clean(o: ParsedOptions, url: string, name: string): Promise<number> {
  const grace = Number(o.grace);
  if (!(grace >= 0)) throw new UsageError(`queue clean: --grace must be a number of seconds >= 0, got ${String(o.grace)}`);
  const q = await openQueue(url, name);
  try {
    const clean = async (type: 'completed' | 'failed') => {
      let total = 0;
      for (;;) {
        const n = (await q.queue.clean(grace * 1000, 10_000, type)).length;
        total += n;
        if (n < 10_000) return total;
      }
    };
    const completed = await clean('completed');
    const failed = o.failed ? await clean('failed') : 0;
    const results = o.results ? await new QueueResults(q.redis, name).clear() : 0;
    process.stdout.write(`removed ${completed} completed and ${failed} failed job${failed === 1 ? '' : 's'}${o.results ? `, and ${results} kept recognition${results === 1 ? '' : 's'}` : ''}\n`);
    return 0;
  } finally {
    await q.close();
  }
}
