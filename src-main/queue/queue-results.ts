/**
 * Recognitions already made, by result key (transcription-job.ts resultKey): a Redis hash
 * "hark:<queue>:results" (key -> the Recognition as JSON), so a file of the same content, options
 * and model is never recognized twice, whatever its path, and even after `hark queue clean`
 * removed its job. While a worker recognizes a key it holds a claim on it
 * ("hark:<queue>:claim:<key>", expiring, refreshed while it runs): a second job of the same key
 * waits for the first instead of recognizing it too. A claim whose worker died expires.
 */
import type { Redis } from 'ioredis';
import type { Recognition } from '../engine/offline-recognizer.ts';

export const resultsKey = (queue: string): string => `hark:${queue}:results`;
const claimKey = (queue: string, key: string): string => `hark:${queue}:claim:${key}`;

export class QueueResults {
  constructor(private readonly redis: Redis, private readonly queue: string) {}

  async get(key: string): Promise<Recognition | null> {
    const s = await this.redis.hget(resultsKey(this.queue), key);
    return s === null ? null : (JSON.parse(s) as Recognition);
  }

  async put(key: string, r: Recognition): Promise<void> {
    await this.redis.hset(resultsKey(this.queue), key, JSON.stringify(r));
  }

  /** How many recognitions are kept. */
  count(): Promise<number> {
    return this.redis.hlen(resultsKey(this.queue));
  }

  /** Forgets every kept recognition (their files will be recognized again). */
  async clear(): Promise<number> {
    const n = await this.count();
    await this.redis.del(resultsKey(this.queue));
    return n;
  }

  /**
   * Claims `key` for `ttlMs` (refreshed every ttlMs / 3 until released); null when another
   * worker holds it.
   */
  async claim(key: string, owner: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null> {
    const k = claimKey(this.queue, key);
    const ok = await this.redis.set(k, owner, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    const timer = setInterval(() => { void this.redis.pexpire(k, ttlMs).catch(() => undefined); }, Math.max(100, Math.floor(ttlMs / 3)));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        // Only the owner's claim is removed (one that expired and was taken by another stays).
        await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, k, owner);
      },
    };
  }
}
