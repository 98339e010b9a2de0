import { open, type FileHandle } from 'node:fs/promises';

/**
 * Random access to the bytes of an audio stream, so that decoders read a file a piece at a time
 * instead of holding it whole. `read(from, to)` returns bytes [from, min(to, length)); the array
 * may be a view of memory the source keeps, and is valid until the next read.
 */
export interface ByteSource {
  readonly length: number;
  read(from: number, to: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory (reads are views, no copies). */
export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, read: async (from, to) => bytes.subarray(from, Math.min(to, bytes.length)) };
}

/** A ByteSource reading an open file; `close` releases the handle. */
export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

/** Bytes read from disk at once: small reads inside the block last read are served from memory. */
const FILE_BLOCK_BYTES = 256 * 1024;

async function readAt(fh: FileHandle, from: number, end: number): Promise<Uint8Array> {
  const out = new Uint8Array(Math.max(0, end - from));
  let got = 0;
  while (got < out.length) {
    const { bytesRead } = await fh.read(out, got, out.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === out.length ? out : out.subarray(0, got);
}

/** Opens `path` for reading through one file handle (the caller closes it). */
export async function openFileByteSource(path: string): Promise<FileByteSource> {
  const fh: FileHandle = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    let block: Uint8Array = new Uint8Array(0);
    let blockStart = 0;
    return {
      length: size,
      async read(from, to) {
        const end = Math.min(to, size);
        if (from >= blockStart && end <= blockStart + block.length) return block.subarray(from - blockStart, end - blockStart);
        block = await readAt(fh, from, Math.min(size, Math.max(end, from + FILE_BLOCK_BYTES)));
        blockStart = from;
        return block.subarray(0, Math.min(block.length, end - from));
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}
