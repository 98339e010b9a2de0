/**
 * Runtime checks for IPC payloads: every message from another process is `unknown` until one of
 * these has looked at it. Each throws IpcPayloadError naming the field and what was wrong.
 */
export class IpcPayloadError extends Error {
  constructor(readonly channel: string, readonly field: string, reason: string) {
    super(`${channel}: ${field} ${reason}`);
    this.name = 'IpcPayloadError';
  }
}

export type Check<T> = (value: unknown, channel: string, field: string) => T;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

export function record(value: unknown, channel: string, field: string): Record<string, unknown> {
  if (!isRecord(value)) throw new IpcPayloadError(channel, field, `must be an object, got ${describe(value)}`);
  return value;
}

export function string(value: unknown, channel: string, field: string, maxLength = 10_000): string {
  if (typeof value !== 'string') throw new IpcPayloadError(channel, field, `must be a string, got ${describe(value)}`);
  if (value.length > maxLength) throw new IpcPayloadError(channel, field, `is longer than ${maxLength} characters`);
  return value;
}

export function boolean(value: unknown, channel: string, field: string): boolean {
  if (typeof value !== 'boolean') throw new IpcPayloadError(channel, field, `must be true or false, got ${describe(value)}`);
  return value;
}

export function finiteNumber(value: unknown, channel: string, field: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new IpcPayloadError(channel, field, `must be a finite number, got ${describe(value)}`);
  if (value < min || value > max) throw new IpcPayloadError(channel, field, `must be in [${min}, ${max}], got ${value}`);
  return value;
}

export function oneOf<T extends string>(options: readonly T[]): Check<T> {
  return (value, channel, field) => {
    if (typeof value !== 'string' || !options.includes(value as T)) throw new IpcPayloadError(channel, field, `must be one of ${options.join(', ')}, got ${describe(value)}`);
    return value as T;
  };
}

export function arrayOf<T>(item: Check<T>, maxLength: number): Check<T[]> {
  return (value, channel, field) => {
    if (!Array.isArray(value)) throw new IpcPayloadError(channel, field, `must be an array, got ${describe(value)}`);
    if (value.length > maxLength) throw new IpcPayloadError(channel, field, `has more than ${maxLength} entries`);
    return value.map((v, i) => item(v, channel, `${field}[${i}]`));
  };
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, channel, field) => (value === undefined ? undefined : check(value, channel, field));
}

/** A Float32Array of finite values whose length is a multiple of `rowWidth` (>= 1 row), at most maxValues. */
export function float32Rows(value: unknown, channel: string, field: string, rowWidth: number, maxValues: number): Float32Array {
  if (!(value instanceof Float32Array)) throw new IpcPayloadError(channel, field, `must be a Float32Array, got ${describe(value)}`);
  if (value.length === 0 || value.length % rowWidth !== 0) throw new IpcPayloadError(channel, field, `must hold whole rows of ${rowWidth} values (got ${value.length})`);
  if (value.length > maxValues) throw new IpcPayloadError(channel, field, `holds ${value.length} values, more than ${maxValues} in one message`);
  for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) throw new IpcPayloadError(channel, field, `holds a non-finite value at index ${i}`);
  return value;
}

/** Rejects keys the contract does not know (typos and smuggled fields fail loudly). */
export function onlyKeys(obj: Record<string, unknown>, keys: readonly string[], channel: string, field: string): void {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) throw new IpcPayloadError(channel, field, `has an unknown field "${k}" (expected ${keys.join(', ')})`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  return typeof v;
}
