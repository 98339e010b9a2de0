/**
 * The two synthesizers that run in-process as WebAssembly: SVOX Pico (`@echogarden/svoxpico-wasm`) and
 * GnuSpeech (`@echogarden/gnuspeech-wasm`). No network: Pico's language files come from Debian's
 * libttspico-data package (non-free), GnuSpeech's data is inside its module.
 *
 * Both calls are synchronous once the module is loaded (tens of milliseconds per utterance), so they run
 * on the calling thread; `synthesize` still counts them against its pool.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where Debian's libttspico-data puts Pico's language files (override: HARK_PICO_LANG_DIR). */
export const PICO_LANG_DIR = '/usr/share/pico/lang';

/** Language files per Pico voice: text analysis and signal generation. */
const PICO_FILES: Readonly<Record<string, [string, string]>> = {
  'en-US': ['en-US_ta.bin', 'en-US_lh0_sg.bin'],
  'en-GB': ['en-GB_ta.bin', 'en-GB_kh0_sg.bin'],
};

/* Minimal view of an Emscripten module: heap, file system and the C functions we call. */
interface EmModule {
  HEAPU8: Uint8Array;
  FS: { writeFile(path: string, data: string | Uint8Array): void; readFile(path: string, opts?: { encoding: 'utf8' }): Uint8Array & string; mkdir(path: string): void; unlink(path: string): void };
  getValue(ptr: number, type: 'i16' | 'i32'): number;
  _malloc(n: number): number;
  _free(p: number): number;
  [fn: `_${string}`]: (...args: number[]) => number;
}

function cString(m: EmModule, s: string): number {
  const bytes = Buffer.from(s + '\0', 'utf8');
  const p = m._malloc(bytes.length);
  m.HEAPU8.set(bytes, p);
  return p;
}

function readCString(m: EmModule, p: number, max: number): string {
  const bytes = m.HEAPU8.subarray(p, p + max);
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.subarray(0, end < 0 ? max : end)).toString('utf8');
}

// ---------------------------------------------------------------- SVOX Pico

const PICO_OK = 0;
const PICO_STEP_IDLE = 200;
const PICO_STEP_BUSY = 201;
const PICO_MEM_BYTES = 2_500_000;

interface PicoLib {
  factory: (arg?: object) => Promise<EmModule>;
  wasm: WebAssembly.Module;
  /** Language file bytes by path. */
  files: Map<string, Buffer>;
}

let picoLib: Promise<PicoLib> | null = null;

function picoCheck(status: number, what: string): void {
  if (status !== PICO_OK) throw new Error(`SVOX Pico: ${what} failed with status ${status}`);
}

async function loadPicoLib(): Promise<PicoLib> {
  try {
    const req = createRequire(import.meta.url);
    const factory = (await import('@echogarden/svoxpico-wasm' as string)).default as PicoLib['factory'];
    const wasm = await WebAssembly.compile(readFileSync(join(dirname(req.resolve('@echogarden/svoxpico-wasm/package.json')), 'svoxpico.wasm')));
    return { factory, wasm, files: new Map() };
  } catch (e) {
    throw new Error(`SVOX Pico: cannot load @echogarden/svoxpico-wasm (npm install): ${(e as Error).message}`);
  }
}

function picoFile(lib: PicoLib, name: string): Buffer {
  const path = join(process.env.HARK_PICO_LANG_DIR ?? PICO_LANG_DIR, name);
  let bytes = lib.files.get(path);
  if (!bytes) {
    if (!existsSync(path)) {
      throw new Error(`SVOX Pico: language file ${path} is missing (install Debian's non-free package libttspico-data, or set HARK_PICO_LANG_DIR)`);
    }
    bytes = readFileSync(path);
    lib.files.set(path, bytes);
  }
  return bytes;
}

/**
 * One utterance in a fresh WebAssembly instance (Pico keeps state between utterances, even across
 * engines, that changes later output slightly; a new instance makes each utterance depend on its
 * input only). 16 kHz int16 PCM.
 */
async function picoRun(lib: PicoLib, voice: string, markup: string): Promise<Int16Array> {
  const files = PICO_FILES[voice];
  if (!files) throw new Error(`SVOX Pico: unknown voice ${voice}`);
  const langFiles = files.map((f) => picoFile(lib, f));
  const m = await lib.factory({
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports: WebAssembly.Imports, receive: (inst: WebAssembly.Instance, mod: WebAssembly.Module) => void) {
      const inst = new WebAssembly.Instance(lib.wasm, imports);
      receive(inst, lib.wasm);
      return inst.exports;
    },
  });
  const scratch = m._malloc(256);
  const mem = m._malloc(PICO_MEM_BYTES);
  picoCheck(m._pico_initialize(mem, PICO_MEM_BYTES, scratch), 'initialize');
  const system = m.getValue(scratch, 'i32');
  m.FS.mkdir('/lang');
  const resourceNames: string[] = [];
  files.forEach((f, i) => {
    m.FS.writeFile(`/lang/${f}`, langFiles[i]);
    picoCheck(m._pico_loadResource(system, cString(m, `/lang/${f}`), scratch), `loading ${f}`);
    const resource = m.getValue(scratch, 'i32');
    picoCheck(m._pico_getResourceName(system, resource, scratch + 8), `naming ${f}`);
    resourceNames.push(readCString(m, scratch + 8, 200));
  });
  const voiceName = cString(m, 'hark');
  picoCheck(m._pico_createVoiceDefinition(system, voiceName), 'createVoiceDefinition');
  for (const r of resourceNames) picoCheck(m._pico_addResourceToVoiceDefinition(system, voiceName, cString(m, r)), `adding ${r}`);
  picoCheck(m._pico_newEngine(system, voiceName, scratch), 'newEngine');
  const engine = m.getValue(scratch, 'i32');
  const bytes = Buffer.from(markup + '\0', 'utf8');
  const text = m._malloc(bytes.length);
  m.HEAPU8.set(bytes, text);
  const counts = m._malloc(4);
  const buf = m._malloc(2048);
  const chunks: Buffer[] = [];
  let off = 0;
  while (off < bytes.length) {
    picoCheck(m._pico_putTextUtf8(engine, text + off, Math.min(bytes.length - off, 30000), counts), 'putTextUtf8');
    off += m.getValue(counts, 'i16');
    let status: number;
    do {
      status = m._pico_getData(engine, buf, 2048, counts, counts + 2);
      const got = m.getValue(counts, 'i16');
      if (got > 0) chunks.push(Buffer.from(m.HEAPU8.slice(buf, buf + got)));
    } while (status === PICO_STEP_BUSY);
    if (status !== PICO_STEP_IDLE) throw new Error(`SVOX Pico: getData failed with status ${status}`);
  }
  // The instance (and all its memory) is dropped here.
  const pcm = Buffer.concat(chunks);
  return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1)));
}

/** Speaks Pico markup (text with <speed>/<pitch> tags) with `voice` (en-US, en-GB): 16 kHz int16 samples. */
export async function picoSpeak(voice: string, markup: string): Promise<Int16Array> {
  picoLib ??= loadPicoLib();
  const lib = await picoLib.catch((e: unknown) => { picoLib = null; throw e; });
  return picoRun(lib, voice, markup);
}

/** Pico's output rate. */
export const PICO_RATE = 16000;

// ---------------------------------------------------------------- GnuSpeech

const GNUSPEECH_DATA = '/data/en';
let gnuspeechModule: Promise<EmModule> | null = null;

async function loadGnuSpeech(): Promise<EmModule> {
  let factory: (arg?: object) => Promise<EmModule>;
  try {
    // The package's own `synthesize` rewrites the control file with only voice, tempo and control rate;
    // its module takes any control and voice files, so it is used directly.
    factory = (await import('@echogarden/gnuspeech-wasm/wasm/gnuspeech.js' as string)).default as typeof factory;
  } catch (e) {
    throw new Error(`GnuSpeech: cannot load @echogarden/gnuspeech-wasm (npm install): ${(e as Error).message}`);
  }
  const m = await factory({ print: () => {}, printErr: () => {} });
  // 22.05 kHz output (the model's other choice is 44.1 kHz): half the work, and still above 16 kHz.
  const trm = m.FS.readFile(`${GNUSPEECH_DATA}/trm.txt`, { encoding: 'utf8' });
  m.FS.writeFile(`${GNUSPEECH_DATA}/trm.txt`, trm.replace(/^output_rate\s*=.*$/m, 'output_rate = 22050.0'));
  return m;
}

/**
 * The package's own voice_<name>.txt and trm_control_model.txt (the files built into its module), which
 * variation.ts changes per utterance. Read from the package folder, synchronously.
 */
export function gnuspeechBaseFiles(voice: string): { voiceFile: string; controlModel: string } {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('@echogarden/gnuspeech-wasm/package.json')), 'data', 'en');
  } catch (e) {
    throw new Error(`GnuSpeech: cannot find @echogarden/gnuspeech-wasm (npm install): ${(e as Error).message}`);
  }
  return { voiceFile: readFileSync(join(dir, `voice_${voice}.txt`), 'utf8'), controlModel: readFileSync(join(dir, 'trm_control_model.txt'), 'utf8') };
}

/**
 * Speaks `text` with GnuSpeech given a voice file and control model (see variation.ts): a WAV file's bytes.
 * The voice file is installed as voice `hark`.
 */
export async function gnuspeechSpeak(text: string, settings: { voiceFile: string; controlModel: string }): Promise<Uint8Array> {
  gnuspeechModule ??= loadGnuSpeech();
  const m = await gnuspeechModule.catch((e: unknown) => { gnuspeechModule = null; throw e; });
  m.FS.writeFile(`${GNUSPEECH_DATA}/voice_hark.txt`, settings.voiceFile);
  m.FS.writeFile(`${GNUSPEECH_DATA}/trm_control_model.txt`, settings.controlModel.replace(/^voice_name\s*=.*$/m, 'voice_name = hark'));
  const args = [text, '/out.wav', GNUSPEECH_DATA, '/out-params.txt'].map((s) => cString(m, s));
  try {
    m._GnuSpeech_synthesizeToFile(args[0], args[1], args[2], args[3], 0);
    return m.FS.readFile('/out.wav') as Uint8Array;
  } finally {
    for (const p of args) m._free(p);
    try { m.FS.unlink('/out.wav'); m.FS.unlink('/out-params.txt'); } catch { /* not written */ }
  }
}
