/**
 * The one error type audio input throws. `file` is the path or name the caller gave;
 * `reason` is the message without the file name; `message` is `<file>: <reason>`.
 */
export class AudioDecodeError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = 'AudioDecodeError';
    this.file = file;
    this.reason = reason;
  }
}
