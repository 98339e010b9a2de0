/** Shared measurement helpers for the training-data tests (not a test file). */

/** Frequency of a clean tone from its zero-crossing rate (independent of any FFT). */
export function zeroCrossingHz(x: Float32Array, rate = 16000): number {
  let first = -1, last = -1, count = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      if (first < 0) first = i;
      last = i;
      count++;
    }
  }
  return ((count - 1) * rate) / (last - first);
}
