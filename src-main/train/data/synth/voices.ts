/**
 * The synthetic voices Hark trains on and the ones kept out for evaluation.
 * Voice ids: `espeak:<voice>+<variant>`, `flite:<voice>`, `festival:<voice>`, `pico:<language>`,
 * `gnuspeech:<voice>`, `mbrola:<voice>`.
 */

export type SynthFamily = 'espeak' | 'flite' | 'festival' | 'pico' | 'gnuspeech' | 'mbrola';

/** Every synthesizer family, in the order `listVoices` lists them. */
export const SYNTH_FAMILIES: readonly SynthFamily[] = ['espeak', 'flite', 'festival', 'pico', 'gnuspeech', 'mbrola'];

export interface VoiceInfo {
  family: SynthFamily;
  /** Full id passed to `synthesize`. */
  id: string;
  gender: 'male' | 'female' | 'unknown';
  /** Accent or dialect where the synthesizer names one (espeak voice, e.g. "en-gb-scotland"). */
  accent: string;
}

/** espeak-ng English voices (accents). */
export const ESPEAK_ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'] as const;

/**
 * espeak-ng voice variants (espeak-ng-data/voices/!v) with the gender their file declares
 * ('unknown' where it declares none). Left out as unlike human speech: whisper, whisperf,
 * croak, Demonic, UniRobot, anikaRobot, robosoft*, RicishayMax*, "Mr serious", fast.
 */
export const ESPEAK_VARIANTS: Readonly<Record<string, VoiceInfo['gender']>> = {
  m1: 'male', m2: 'male', m3: 'male', m4: 'male', m5: 'male', m6: 'male', m7: 'male', m8: 'male',
  f1: 'female', f2: 'female', f3: 'female', f4: 'female', f5: 'female',
  klatt: 'unknown', klatt2: 'unknown', klatt3: 'unknown', klatt4: 'unknown', klatt5: 'unknown', klatt6: 'unknown',
  Alex: 'unknown', Alicia: 'female', Andrea: 'female', Andy: 'male', Annie: 'female', AnxiousAndy: 'male',
  Denis: 'male', Diogo: 'male', Gene: 'unknown', Gene2: 'unknown', Henrique: 'male', Hugo: 'male', Jacky: 'unknown',
  Lee: 'male', Marco: 'male', Mario: 'unknown', Michael: 'unknown', Mike: 'unknown', Nguyen: 'unknown',
  Storm: 'male', Tweaky: 'unknown', adam: 'unknown', anika: 'female', announcer: 'unknown', antonio: 'male',
  aunty: 'female', belinda: 'female', benjamin: 'unknown', boris: 'unknown', caleb: 'unknown', david: 'unknown',
  ed: 'unknown', edward: 'unknown', edward2: 'unknown', grandma: 'female', grandpa: 'unknown', gustave: 'unknown',
  iven: 'unknown', iven2: 'unknown', iven3: 'unknown', iven4: 'unknown', john: 'unknown', kaukovalta: 'unknown',
  linda: 'female', marcelo: 'unknown', max: 'unknown', michel: 'male', miguel: 'male', norbert: 'unknown',
  pablo: 'unknown', paul: 'unknown', pedro: 'unknown', quincy: 'unknown', rob: 'unknown', robert: 'unknown',
  sandro: 'male', shelby: 'unknown', steph: 'female', steph2: 'female', steph3: 'female', travis: 'male',
  victor: 'male', zac: 'unknown',
};

/**
 * flite built-in voices (`flite -lv` of Debian's flite 2.2: kal awb_time kal16 awb rms slt; awb_time is a
 * limited-domain clock voice and is left out). Debian ships no other English flite voice.
 */
export const FLITE_VOICES: Readonly<Record<string, VoiceInfo['gender']>> = { kal: 'male', kal16: 'male', awb: 'male', rms: 'male', slt: 'female' };

/**
 * Festival voices from Debian packages festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts: every English
 * festvox package of Debian 12 (festvox-kallpc8k and festvox-kdlpc8k are the same two diphone voices at 8 kHz,
 * installed under the same names, so they add no voice).
 */
export const FESTIVAL_VOICES: Readonly<Record<string, VoiceInfo['gender']>> = { kal_diphone: 'male', ked_diphone: 'male', cmu_us_slt_arctic_hts: 'female' };

/**
 * SVOX Pico voices (`@echogarden/svoxpico-wasm` with the language files of Debian's non-free package
 * libttspico-data): en-US is speaker lh0, en-GB speaker kh0, both female.
 */
export const PICO_VOICES: Readonly<Record<string, VoiceInfo['gender']>> = { 'en-US': 'female', 'en-GB': 'female' };

/**
 * GnuSpeech articulatory voices (`@echogarden/gnuspeech-wasm`): tube models of a man's, a woman's and an
 * older child's vocal tract (its small_child and baby voices are left out as unlike the users).
 */
export const GNUSPEECH_VOICES: Readonly<Record<string, VoiceInfo['gender']>> = { male: 'male', female: 'female', large_child: 'unknown' };

/**
 * MBROLA diphone voices (Debian's non-free mbrola-us1, mbrola-us2, mbrola-us3, mbrola-en1, spoken by the
 * contrib `mbrola` program through espeak-ng's `mb-*` voices): every sound is a diphone cut from a real
 * speaker's recordings, so their timbre is a person's, with espeak-ng's rhythm and intonation. us1 is a
 * woman, us2 and us3 men (American), en1 a man (British).
 */
export const MBROLA_VOICES: Readonly<Record<string, VoiceInfo['gender']>> = { us1: 'female', us2: 'male', us3: 'male', en1: 'male' };

/** espeak accent and variant never used in training: only their pair appears, in HELDOUT_VOICES. */
export const HELDOUT_ESPEAK_ACCENT = 'en-gb-scotland';
export const HELDOUT_ESPEAK_VARIANT = 'f3';

/**
 * Voices kept entirely out of training, for evaluation on unseen voices:
 * flite slt (female, clustergen), festival ked (male, diphone), espeak Scottish accent with variant f3,
 * and festival cmu_us_slt_arctic_hts, which is built from the same recorded speaker as flite slt
 * (held out with it so that the test stays speaker-disjoint).
 */
export const HELDOUT_VOICES: readonly string[] = ['flite:slt', 'festival:ked_diphone', 'festival:cmu_us_slt_arctic_hts', `espeak:${HELDOUT_ESPEAK_ACCENT}+${HELDOUT_ESPEAK_VARIANT}`];

/** Every supported voice. */
export function listVoices(): VoiceInfo[] {
  const out: VoiceInfo[] = [];
  for (const accent of ESPEAK_ACCENTS) {
    for (const [variant, gender] of Object.entries(ESPEAK_VARIANTS)) {
      out.push({ family: 'espeak', id: `espeak:${accent}+${variant}`, gender, accent });
    }
  }
  for (const [v, gender] of Object.entries(FLITE_VOICES)) out.push({ family: 'flite', id: `flite:${v}`, gender, accent: 'en-us' });
  for (const [v, gender] of Object.entries(FESTIVAL_VOICES)) out.push({ family: 'festival', id: `festival:${v}`, gender, accent: 'en-us' });
  for (const [v, gender] of Object.entries(PICO_VOICES)) out.push({ family: 'pico', id: `pico:${v}`, gender, accent: v.toLowerCase() });
  for (const [v, gender] of Object.entries(GNUSPEECH_VOICES)) out.push({ family: 'gnuspeech', id: `gnuspeech:${v}`, gender, accent: 'en-us' });
  for (const [v, gender] of Object.entries(MBROLA_VOICES)) out.push({ family: 'mbrola', id: `mbrola:${v}`, gender, accent: v === 'en1' ? 'en-gb' : 'en-us' });
  return out;
}

function isHeldOut(v: VoiceInfo): boolean {
  if (HELDOUT_VOICES.includes(v.id)) return true;
  if (v.family !== 'espeak') return false;
  return v.accent === HELDOUT_ESPEAK_ACCENT || v.id.endsWith(`+${HELDOUT_ESPEAK_VARIANT}`);
}

/** Voices for training: all voices except the held-out ones and everything sharing their held-out espeak accent or variant. */
export const TRAIN_VOICES: readonly string[] = listVoices().filter((v) => !isHeldOut(v)).map((v) => v.id);

const VOICE_TABLES: Readonly<Record<Exclude<SynthFamily, 'espeak'>, Readonly<Record<string, VoiceInfo['gender']>>>> = {
  flite: FLITE_VOICES, festival: FESTIVAL_VOICES, pico: PICO_VOICES, gnuspeech: GNUSPEECH_VOICES, mbrola: MBROLA_VOICES,
};

/** Gender of a voice id ('unknown' where its synthesizer declares none). */
export function voiceGender(id: string): VoiceInfo['gender'] {
  const v = parseVoiceId(id);
  return v.family === 'espeak' ? (v.variant ? ESPEAK_VARIANTS[v.variant] : 'unknown') : VOICE_TABLES[v.family][v.voice];
}

/** Parses a voice id into family and name; throws on an unknown id. */
export function parseVoiceId(id: string): { family: SynthFamily; voice: string; variant?: string } {
  const m = /^(espeak|flite|festival|pico|gnuspeech|mbrola):(.+)$/.exec(id);
  if (!m) throw new Error(`unknown voice id "${id}": expected espeak:<voice>+<variant>, flite:<voice>, festival:<voice>, pico:<language>, gnuspeech:<voice> or mbrola:<voice>`);
  const family = m[1] as SynthFamily;
  if (family === 'espeak') {
    const [voice, variant] = m[2].split('+');
    if (!(ESPEAK_ACCENTS as readonly string[]).includes(voice) || (variant !== undefined && !(variant in ESPEAK_VARIANTS))) {
      throw new Error(`unknown espeak voice "${id}"`);
    }
    return { family, voice, variant };
  }
  const table = VOICE_TABLES[family];
  if (!(m[2] in table)) throw new Error(`unknown ${family} voice "${id}": known are ${Object.keys(table).join(', ')}`);
  return { family, voice: m[2] };
}
