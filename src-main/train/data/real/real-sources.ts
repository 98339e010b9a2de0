/** Every real-speech source the set builder knows, by name. */
import type { RealSource } from './real-source.ts';
import { amazonQueenSource } from './sources/amazon-queen.ts';
import { klettresSource } from './sources/klettres.ts';
import { qabcsSource } from './sources/qabcs.ts';
import { saytimeSource } from './sources/saytime.ts';
import { steelSkySource } from './sources/steel-sky.ts';
import { tuxpaintSource } from './sources/tuxpaint.ts';
import { warzone2100Source } from './sources/warzone2100.ts';

export const REAL_SOURCES: readonly RealSource[] = [saytimeSource, klettresSource, qabcsSource, tuxpaintSource, warzone2100Source, amazonQueenSource, steelSkySource];
