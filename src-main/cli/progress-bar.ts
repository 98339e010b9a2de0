/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per update otherwise). */
export class ProgressBar {
  private lastDraw = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly minIntervalMs = 250) {}

  update(done: number, total: number, label: string, startedAt: number): void {
    const now = performance.now();
    if (now - this.lastDraw < (this.stream.isTTY ? this.minIntervalMs : 10_000) && done < total) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const elapsed = (now - startedAt) / 1000;
    const eta = frac > 0 ? elapsed * (1 - frac) / frac : NaN;
    const line = `[${bar}] ${(100 * frac).toFixed(0).padStart(3)}% ${done}/${total} ${label} ETA ${formatDuration(eta)}`;
    if (this.stream.isTTY) this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
    else this.stream.write(line + '\n');
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

/** Step report of a training loop (src-main/train/trainer.ts StepReport), the fields shown. */
interface TrainingStep { epoch: number; batch: number; batchesInEpoch: number; loss: number; gradNorm: number; framesPerSec: number }

/**
 * `log` and `progress` callbacks for a training run (`hark train`, `hark adapt`): a progress bar
 * per epoch with a smoothed loss, log lines printed above it.
 */
export function trainingProgress(bar = new ProgressBar()): { log: (line: string) => void; progress: (r: TrainingStep) => void } {
  let epochStart = performance.now();
  let lossEma = NaN;
  let curEpoch = -1;
  return {
    log: (line) => { bar.done(); process.stderr.write(line + '\n'); },
    progress: (r) => {
      if (r.epoch !== curEpoch) { curEpoch = r.epoch; epochStart = performance.now(); lossEma = NaN; }
      lossEma = Number.isNaN(lossEma) ? r.loss : 0.95 * lossEma + 0.05 * r.loss;
      bar.update(r.batch, r.batchesInEpoch, `epoch ${r.epoch + 1} loss ${lossEma.toFixed(3)} |g| ${r.gradNorm.toFixed(1)} ${r.framesPerSec.toFixed(0)} fr/s`, epochStart);
    },
  };
}

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '--:--';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}
