import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UsageError } from './usage.ts';

// A large input streams through in chunks this size: few reads, little memory.
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * The bytes of a file, or of stdin for `-`, gunzipped when they are gzip (a `.gz` file, or gzip
 * piped in). A file that cannot be opened or read (or a gzip cut short) is a usage error naming
 * `--<flag>` and the file.
 */
export async function openInput(flag: string, name: string): Promise<AsyncIterable<Buffer>> {
  const cannotRead = (err: unknown) =>
    new UsageError(`--${flag}: cannot read ${name === '-' ? 'stdin' : name}: ${(err as Error).message}`);
  if (name === '-') return rethrown(gunzipIfGzip(process.stdin), cannotRead);
  const file = createReadStream(name, { highWaterMark: CHUNK_BYTES });
  try {
    await once(file, 'ready');
  } catch (err) {
    throw cannotRead(err);
  }
  return rethrown(gunzipIfGzip(file), cannotRead);
}

async function* rethrown<T>(items: AsyncIterable<T>, as: (err: unknown) => Error): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (err) {
    throw as(err);
  }
}

// Gzip is told by its magic bytes, so a .gz file and gzip on stdin need no flag.
const isGzip = (chunk: Buffer) => chunk[0] === 0x1f && chunk[1] === 0x8b;

async function* gunzipIfGzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  async function* all() {
    yield first.value;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  // A read or gunzip error destroys the pipeline with it, so it surfaces where the output is read.
  yield* isGzip(first.value) ? pipeline(Readable.from(all()), createGunzip(), () => {}) : all();
}

/**
 * The lines of a byte stream, without their '\n' (a '\r' before it stays: JSON ignores it), the last
 * one even without a '\n'. Split by hand rather than by node:readline: no decoding to strings, and
 * several times faster on millions of short lines.
 */
export async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let partial: Buffer[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const line = chunk.subarray(start, end);
      yield partial.length === 0 ? line : Buffer.concat([...partial, line]);
      partial = [];
      start = end + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  }
  if (partial.length > 0) yield Buffer.concat(partial);
}

/** A line of nothing but spaces, tabs and '\r'. */
export function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
