/**
 * Connections to the Redis that holds a Hark job queue (BullMQ). One queue name per archive run
 * if you like (--queue); every key lives under BullMQ's prefix "bull:<queue>:", and Hark's own
 * keys (queue-results.ts) under "hark:<queue>:".
 *
 * BullMQ needs `maxRetriesPerRequest: null` on a worker's connections, so a Redis restart pauses a
 * worker instead of failing its commands; the short commands (submit, status, retry, clean) give
 * up after a few seconds with a message naming the URL instead.
 */
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';

export const DEFAULT_QUEUE_NAME = 'hark';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BullMQ job name of a transcription job. */
export const TRANSCRIBE_JOB = 'transcribe';

/** The Redis URL: the option, else $HARK_REDIS_URL, else DEFAULT_REDIS_URL. */
export function redisUrlFrom(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? (env.HARK_REDIS_URL || DEFAULT_REDIS_URL);
}

/** Queue names become Redis key parts: keep them to letters, digits, '-', '_' and '.'. */
export function checkQueueName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new Error(`queue name "${name}": use 1 to 100 letters, digits, '.', '_' or '-'`);
  return name;
}

/** A Redis client for `url`; `worker` connections retry forever, the others fail after about 5 s. */
export function redisClient(url: string, kind: 'worker' | 'command'): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new Error(`--redis ${url}: expected a redis:// or rediss:// URL`);
  if (kind === 'worker') return new Redis(url, { maxRetriesPerRequest: null });
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    retryStrategy: (times) => (times > 5 ? null : 200 * times),
  });
}

/** The queue `name` on `url`, for commands; close() ends the connection too. */
export async function openQueue(url: string, name: string): Promise<{ queue: Queue; redis: Redis; close: () => Promise<void> }> {
  const redis = redisClient(url, 'command');
  try {
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${url} (${(e as Error).message})`, { cause: e });
  }
  const queue = new Queue(checkQueueName(name), { connection: redis });
  return {
    queue, redis,
    close: async () => {
      await queue.close();
      redis.disconnect();
    },
  };
}
