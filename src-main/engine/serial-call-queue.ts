/**
 * Runs a stream's calls one at a time, in the order they were made, each with its own list of
 * events: a call's events are what it emitted while it ran, and a failed call rejects without
 * stopping the calls after it. The online recognizer's pushes, mode and keyword changes and hot
 * swaps all go through one queue, so they never interleave across their awaits.
 */
export class SerialCallQueue<E> {
  private tail: Promise<unknown> = Promise.resolve();
  private events: E[] = [];

  /** Runs `fn` after every earlier call; resolves to the events it emitted. */
  run(fn: () => Promise<void>): Promise<E[]> {
    const call = this.tail.then(async () => {
      this.events = [];
      try {
        await fn();
        return this.events;
      } finally {
        this.events = [];
      }
    });
    this.tail = call.catch(() => undefined);
    return call;
  }

  /** Adds an event to the running call's list. */
  emit(event: E): void {
    this.events.push(event);
  }

  /** Resolves when every call made so far has settled (failed or not). */
  async idle(): Promise<void> {
    await this.tail;
  }
}
