/**
 * JSON.parse for files a user can point Hark at (model cards, job files, recording lists), with an
 * error that names only where the text stops being JSON. V8's own SyntaxError quotes the text
 * around the fault (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), which would carry
 * the contents of whatever file a path or a symbolic link led to into messages shown in a window.
 */

/** The text is not JSON; `line` and `column` (1-based, column in UTF-16 units) say where it stops being JSON. */
export class JsonSyntaxError extends SyntaxError {
  override name = 'JsonSyntaxError';
  constructor(readonly line: number, readonly column: number) {
    super(`not valid JSON (at line ${line}, column ${column})`);
  }
}

/** JSON.parse(text), throwing JsonSyntaxError (a position, never the text) where it fails. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    throw new JsonSyntaxError(line, offset - (before.lastIndexOf('\n') + 1) + 1);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The offset of the first character at which `text` is not JSON (RFC 8259); text.length when it ends too early. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const ws = () => {
    while (i < text.length && WS.has(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(i);
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail(i);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(i);
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) fail(i);
        i = ESCAPE.lastIndex;
      } else i++;
    }
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail(i);
          string();
          ws();
          if (text[i] !== ':') fail(i);
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail(i);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail(i);
    i = NUMBER.lastIndex;
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(i);
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    return 0; // too deeply nested to scan: report the start
  }
  return text.length;
}
