/**
 * How an area of the IPC contract lists its invoke channels: a table of channel name -> host and
 * request validator (`as const satisfies ChannelTable`, so each host stays a literal), and
 * ChannelApi for its request / response types. A channel's request type is what its validator
 * returns, so the type and the check cannot drift apart. app-contract.ts joins the areas' tables
 * into HARK_CHANNELS.
 */
import { onlyKeys, record, type Check } from './validate.ts';

export interface ChannelSpec {
  /** Who answers: the backend worker, or the Electron main process (native UI). */
  readonly host: 'backend' | 'main';
  /** Validates a request from another process (throws IpcPayloadError); returns the request, typed. */
  readonly request: (value: unknown) => object;
}

export type ChannelTable = Readonly<Record<string, ChannelSpec>>;

/** Request / response types of a table's channels: the request is what the channel's validator returns. */
export type ChannelApi<T extends ChannelTable, Responses extends { [C in keyof T]: unknown }> = {
  [C in keyof T]: { request: ReturnType<T[C]['request']>; response: Responses[C] };
};

/** A request without fields; `undefined` is taken as {}. */
export const emptyRequest = (channel: string) => (value: unknown): Record<string, never> => {
  const r = value === undefined ? {} : record(value, channel, 'request');
  onlyKeys(r, [], channel, 'request');
  return {};
};

/** A request of exactly one field `key`, checked by `check`; typed { [key]: T }. */
export const oneField = <K extends string, T>(channel: string, key: K, check: Check<T>) => (value: unknown): { [P in K]: T } => {
  const r = record(value, channel, 'request');
  onlyKeys(r, [key], channel, 'request');
  return { [key]: check(r[key], channel, key) } as { [P in K]: T };
};
