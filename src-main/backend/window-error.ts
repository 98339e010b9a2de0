/**
 * What an error says once it goes to a window (an IPC rejection, a model, file or retraining
 * error event): its message without what names Hark's insides rather than the user's files.
 * - onnxruntime's own source locations and the C++ function after them
 *   ("/onnxruntime_src/onnxruntime/core/graph/model.cc:180 onnxruntime::Model::Model(...)") go;
 * - paths under the folder Hark is installed in are shown from there, as `<Hark>/models/...`.
 * Paths the user gave (their model folder, their audio files) stay: the message must name them.
 * File contents never reach a message to begin with: JSON files are parsed by system/parse-json.ts.
 */
import { sep } from 'node:path';
import type { WireError } from '../../src-shared/ipc/app-contract.ts';

const SEGMENT = String.raw`[^\s:'"()\\/]+`;
/** A source file of onnxruntime's build tree with its line (`file.cc:123`, or `file.cc(123)` on Windows). */
const ORT_SOURCE = String.raw`(?:(?<!\w)[A-Za-z]:)?[\\/]?(?:${SEGMENT}[\\/])*onnxruntime[\\/](?:${SEGMENT}[\\/])*${SEGMENT}\.(?:cc|cpp|cxx|c|h|hpp)(?::\d+|\(\d+\))?`;
/** The C++ signature onnxruntime prints after it: `[virtual] [Type*] onnxruntime::A::b(args) [const]`. */
const ORT_SIGNATURE = String.raw`(?:\s+(?:(?:virtual|static|inline)\s+)*(?:[\w:<>,*&]+\s+)?[\w:~<>]*onnxruntime::[\w:~<>]+\([^)]*\)(?:\s*const)?)?`;
const ORT_LOCATION = new RegExp(`${ORT_SOURCE}${ORT_SIGNATURE}\\s*`, 'g');

/**
 * `message` as a window may show it; `installRoot` is the folder Hark runs from (absolute). With
 * `userDataDir`, paths under the user data folder are shown from there too, as `<user data>/...`
 * (how the user guide names it): for messages about Hark's own files there (settings.json).
 */
export function windowMessage(message: string, installRoot?: string, userDataDir?: string): string {
  // A location glued to the text before it ("failed:/onnxruntime_src/...") leaves one space there.
  let m = message.replace(ORT_LOCATION, (_, at: number) => (at === 0 || /[\s([]/.test(message[at - 1]) ? '' : ' ')).trim();
  if (installRoot && installRoot.length > 1) {
    const root = installRoot.endsWith(sep) ? installRoot.slice(0, -1) : installRoot;
    m = m.split(`${root}${sep}`).join(`<Hark>${sep}`);
  }
  if (userDataDir && userDataDir.length > 1) {
    const dir = userDataDir.endsWith(sep) ? userDataDir.slice(0, -1) : userDataDir;
    m = m.split(`${dir}${sep}`).join(`<user data>${sep}`);
  }
  return m;
}

/** An error thrown while answering a window, as it crosses to the window (Error objects lose their class). */
export function toWireError(e: unknown, installRoot?: string): WireError {
  const err = e as Partial<Error> | null | undefined;
  const name = typeof err?.name === 'string' && err.name ? err.name : 'Error';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return { name, message: windowMessage(message, installRoot) };
}
