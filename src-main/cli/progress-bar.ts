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

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '--:--';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}
