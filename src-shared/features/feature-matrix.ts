/** Frames of features, row-major: frame t occupies data[t * dim, (t + 1) * dim). */
export interface FeatureMatrix {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** A matrix of `frames` rows, zero-filled. */
export function createMatrix(frames: number, dim: number): FeatureMatrix {
  return { data: new Float32Array(frames * dim), frames, dim };
}

/** Throws when `m` is not a consistent FeatureMatrix (optionally of dimension `dim`). */
export function assertMatrix(m: FeatureMatrix, name: string, dim?: number): void {
  if (m === null || typeof m !== 'object' || !(m.data instanceof Float32Array)) {
    throw new Error(`${name}: expected a FeatureMatrix with a Float32Array data field`);
  }
  if (!Number.isInteger(m.frames) || m.frames < 0 || !Number.isInteger(m.dim) || m.dim <= 0) {
    throw new Error(`${name}: invalid shape frames=${m.frames} dim=${m.dim}`);
  }
  if (m.data.length !== m.frames * m.dim) {
    throw new Error(`${name}: data length ${m.data.length} != frames*dim = ${m.frames * m.dim}`);
  }
  if (dim !== undefined && m.dim !== dim) throw new Error(`${name}: expected dim ${dim}, got ${m.dim}`);
}

/** Row-wise concatenation of matrices of equal dim (used to join streaming outputs). */
export function concatFrames(parts: FeatureMatrix[], dim: number): FeatureMatrix {
  let frames = 0;
  for (const p of parts) {
    assertMatrix(p, 'concatFrames part', dim);
    frames += p.frames;
  }
  const out = createMatrix(frames, dim);
  let offset = 0;
  for (const p of parts) {
    out.data.set(p.data, offset);
    offset += p.data.length;
  }
  return out;
}
