/**
 * How long a retraining job has left, from what it has done so far: the job's overall fraction
 * (0..1, the phase spans of retrain-job.ts) reached in `elapsedSec` of this run, assumed to go on
 * at the same rate. The spans are weights, not measured time shares, so the estimate is rough in
 * the first phase and firms up as the job goes; phases that can measure their own rate (training's
 * steps, evaluation's first model) give their own figure instead.
 */

/** No estimate before this much of the run has gone by (seconds): the first steps' rate says little. */
export const ETA_MIN_ELAPSED_SEC = 10;
/** ...or before this fraction of the job is done. */
export const ETA_MIN_FRACTION = 0.01;

/** Seconds left at the rate so far, whole; null while too little has happened to tell (see above). */
export function remainingSecAtRate(elapsedSec: number, fraction: number): number | null {
  if (!(elapsedSec >= ETA_MIN_ELAPSED_SEC) || !(fraction >= ETA_MIN_FRACTION)) return null;
  if (fraction >= 1) return 0;
  return Math.round((elapsedSec * (1 - fraction)) / fraction);
}
