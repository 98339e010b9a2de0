/**
 * Plays a WAV file through the first command-line audio player found on PATH, for `hark words
 * say`. Linux and the other Unixes: aplay (ALSA), paplay (PulseAudio), pw-play (PipeWire),
 * ffplay (FFmpeg), in that order; macOS: afplay; Windows: PowerShell's SoundPlayer. The search
 * reads PATH (and PATHEXT on Windows) of the given environment, so a machine without any player
 * is told so instead of hearing nothing.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runProcess } from '../system/process-pool.ts';

export interface WavPlayer {
  /** The command's name as searched for ("aplay"). */
  name: string;
  /** Its full path on PATH. */
  path: string;
  /** Arguments that play `file` once and exit when done. */
  args: (file: string) => string[];
}

type PlayerSpec = Omit<WavPlayer, 'path'>;

const UNIX_PLAYERS: PlayerSpec[] = [
  { name: 'aplay', args: (f) => ['-q', f] },
  { name: 'paplay', args: (f) => [f] },
  { name: 'pw-play', args: (f) => [f] },
  { name: 'ffplay', args: (f) => ['-nodisp', '-autoexit', '-loglevel', 'error', f] },
];

/** The players searched for on `platform`, in order of preference. */
export function playerNames(platform: NodeJS.Platform = process.platform): string[] {
  return playersFor(platform).map((p) => p.name);
}

function playersFor(platform: NodeJS.Platform): PlayerSpec[] {
  if (platform === 'darwin') return [{ name: 'afplay', args: (f) => [f] }];
  if (platform === 'win32') {
    return [{
      name: 'powershell',
      // The path travels as a single-quoted PowerShell string: a quote inside it is doubled.
      args: (f) => ['-NoProfile', '-NonInteractive', '-Command', `(New-Object Media.SoundPlayer '${f.replace(/'/g, "''")}').PlaySync()`],
    }];
  }
  return UNIX_PLAYERS;
}

/** The first player on PATH, or null when there is none. */
export function findWavPlayer(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): WavPlayer | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const spec of playersFor(platform)) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const path = join(dir, spec.name + ext);
        if (isExecutableFile(path, platform)) return { ...spec, path };
      }
    }
  }
  return null;
}

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Plays `file` and resolves when the player has finished; rejects with the player's complaint. */
export async function playWav(player: WavPlayer, file: string): Promise<void> {
  await runProcess(player.path, player.args(file));
}
