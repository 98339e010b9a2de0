/** A minimal typed event emitter: `Events` maps each event name to its payload type. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Calls every listener of `name`; a throwing listener is reported and does not stop the others. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) {
      try {
        (l as (payload: Events[K]) => void)(payload);
      } catch (e) {
        console.error(`hark: ${String(name)} listener failed`, e);
      }
    }
  }
}
