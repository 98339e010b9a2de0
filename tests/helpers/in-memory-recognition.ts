/**
 * An in-memory transport for the recognition IPC contract: what the preload bridge does over
 * Electron IPC, without Electron. Payloads cross by structuredClone (as Electron serializes
 * them), so a test sees exactly what the other process would.
 */
import type { RecognitionClient, RecognitionEventMessage } from '../../src-shared/ipc/recognition-contract.ts';
import { RecognitionService } from '../../src-main/engine/recognition-service.ts';
import type { ModelPackage } from '../../src-main/model/model-package.ts';

export function createInMemoryRecognition(model: ModelPackage, opts: { keywordWarps?: readonly number[] } = {}): { service: RecognitionService; connect: (senderId: number) => RecognitionClient } {
  const listeners = new Map<number, Set<(m: RecognitionEventMessage) => void>>();
  const service = new RecognitionService({
    model,
    ...opts,
    emit: (senderId, message) => {
      for (const l of listeners.get(senderId) ?? []) l(structuredClone(message));
    },
  });
  const connect = (senderId: number): RecognitionClient => ({
    invoke: async (channel, request) => structuredClone(await service.handle(senderId, channel, structuredClone(request))),
    onEvent: (listener) => {
      const set = listeners.get(senderId) ?? new Set();
      listeners.set(senderId, set);
      set.add(listener);
      return () => { set.delete(listener); };
    },
  });
  return { service, connect };
}
