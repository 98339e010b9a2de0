/**
 * Real human English speech shipped inside Debian packages: the contract every source module
 * (src-main/train/data/real/sources/*.ts) implements, and the packages that must never be used.
 *
 * A source reads one unpacked package (`dpkg-deb -x pkg.deb ROOT`) and yields its utterances with
 * their transcripts and speakers; the set builder (build-real-set.ts) resamples, normalizes the
 * text, checks pronunciations, splits by speaker into dev and train, and writes the manifest.
 */

/** One utterance as a source finds it. */
export interface RealUtterance {
  /** Unique within the source, stable across runs (used in file names): [A-Za-z0-9_.-]+ */
  id: string;
  /** Who speaks it, stable across runs; the dev/train split is by speaker. Unknown: a per-clip or per-group guess, say so in `speakerNote`. */
  speaker: string;
  /** The words said, as written (the builder normalizes: numbers, case, punctuation). */
  text: string;
  /** The audio: mono PCM as floats in [-1, 1] at `sampleRate` (the builder resamples to 16 kHz). */
  pcm: Float32Array;
  sampleRate: number;
}

export interface RealSource {
  /** Short name used in ids and the manifest, e.g. `warzone2100`. */
  name: string;
  /** The Debian binary packages it reads (all unpacked into the same ROOT). */
  debPackages: readonly string[];
  /** The license of the audio, as its Debian copyright file states it. */
  license: string;
  /** How the speakers are known (file names, a table, a guess). */
  speakerNote: string;
  /** Reads the unpacked package tree at `root` and yields every usable utterance. */
  extract(root: string): AsyncIterable<RealUtterance>;
}

/**
 * Packages reserved for the independent check of real-speech accuracy: never trained on, tuned on
 * or measured with here. The set builder refuses them (and any source naming them).
 */
export const RESERVED_PACKAGES: readonly RegExp[] = [
  /^pocketsphinx-testdata$/,
  /^alsa-utils$/,
  /^asterisk-core-sounds-/,
  /^ktuberling-data$/,
  /^ktuberling$/,
  /^hedgewars-data$/,
  /^hedgewars$/,
  /^drascula(-.*)?$/,
];

export function isReservedPackage(pkg: string): boolean {
  return RESERVED_PACKAGES.some((r) => r.test(pkg.trim().toLowerCase()));
}

/** Throws for a reserved package, naming it and why. */
export function assertAllowedPackage(pkg: string): void {
  if (isReservedPackage(pkg)) {
    throw new Error(`${pkg} is reserved for the independent real-speech check: it is never trained on, tuned on or measured with here`);
  }
}
