import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** One message as the spool keeps it: the Kafka key and the encoded event. */
export interface SpooledMessage {
  key: string;
  value: string;
}

const SUFFIX = '.spool';
/** A segment is read back into memory whole: sealed past this many events or bytes. */
const SEGMENT_MAX_EVENTS = 20_000;
const SEGMENT_MAX_BYTES = 8 * 1024 * 1024;

/** The spool holds its bound of bytes: the event is refused (and counted as dropped by the producer). */
export class SpoolFullError extends Error {
  override name = 'SpoolFullError';
}
const name = (n: number) => `${String(n).padStart(12, '0')}${SUFFIX}`;

/**
 * Events on disk while Kafka is slow or away, in numbered segment files read back in order. One
 * line per event: key, a tab, the event's JSON (which never holds a raw tab or newline).
 */
export class Spool {
  private readonly dir: string;
  /** Sealed segments waiting to be read, oldest first. */
  private readonly sealed: number[] = [];
  private open: { n: number; fd: number; lines: number } | null = null;
  /** Segments read into memory whose events Kafka has not all acknowledged yet. */
  private readonly taken = new Set<number>();
  private next: number;
  /** Bytes of every segment file, the taken ones included until released. */
  private readonly sizes = new Map<number, number>();
  /** Events written to disk and not yet read back. */
  onDisk = 0;
  /** Bytes of the spool's files on disk. */
  bytes = 0;

  /** `maxBytes`: appends that would pass it are refused with a SpoolFullError. */
  constructor(
    dir: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    const found = readdirSync(dir)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => Number.parseInt(f, 10))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    this.sealed.push(...found);
    for (const n of found) {
      this.onDisk += this.countLines(n);
      this.grow(n, statSync(join(dir, name(n))).size);
    }
    this.next = (found.at(-1) ?? 1_000_000_000) + 1;
  }

  /** True while anything is on disk: new events must queue behind it. */
  get hasBacklog(): boolean {
    return this.sealed.length > 0 || this.open !== null || this.taken.size > 0;
  }

  append(message: SpooledMessage): void {
    const line = Buffer.from(`${message.key}\t${message.value}\n`);
    if (this.bytes + line.length > this.maxBytes)
      throw new SpoolFullError(
        `the event spool holds ${this.bytes} bytes, its bound (EVENT_SPOOL_MAX_BYTES)`,
      );
    if (!this.open) {
      const n = this.next++;
      this.open = { n, fd: openSync(join(this.dir, name(n)), 'a'), lines: 0 };
    }
    // A short write (a nearly full disk) would glue two events together: treat it as a failure.
    if (writeSync(this.open.fd, line) !== line.length)
      throw new Error('short write to the event spool (disk full?)');
    this.open.lines++;
    this.grow(this.open.n, line.length);
    this.onDisk++;
    if (this.open.lines >= SEGMENT_MAX_EVENTS || this.sizes.get(this.open.n)! >= SEGMENT_MAX_BYTES)
      this.seal();
  }

  /**
   * Writes messages as a segment read before every other (they are older than all spooled ones).
   * Not held to the byte bound: it takes what memory held at shutdown, bounded there already.
   */
  prepend(messages: SpooledMessage[]): void {
    if (messages.length === 0) return;
    const first = Math.min(this.next, this.open?.n ?? this.next, ...this.sealed, ...this.taken) - 1;
    const fd = openSync(join(this.dir, name(first)), 'w');
    const written = writeSync(fd, messages.map((m) => `${m.key}\t${m.value}\n`).join(''));
    fsyncSync(fd);
    closeSync(fd);
    this.sealed.unshift(first);
    this.grow(first, written);
    this.onDisk += messages.length;
  }

  /** The oldest segment's messages; its file stays until `release` (after Kafka took them all). */
  takeOldest(): { segment: number; messages: SpooledMessage[] } | null {
    if (this.sealed.length === 0 && this.open) this.seal();
    const segment = this.sealed.shift();
    if (segment === undefined) return null;
    this.taken.add(segment);
    const messages = this.read(segment);
    this.onDisk -= messages.length;
    return { segment, messages };
  }

  release(segment: number): void {
    unlinkSync(join(this.dir, name(segment)));
    this.taken.delete(segment);
    this.bytes -= this.sizes.get(segment) ?? 0;
    this.sizes.delete(segment);
  }

  /** Flushes the open segment to disk (on shutdown). */
  close(): void {
    if (this.open) this.seal();
  }

  private grow(segment: number, bytes: number) {
    this.sizes.set(segment, (this.sizes.get(segment) ?? 0) + bytes);
    this.bytes += bytes;
  }

  private seal() {
    if (!this.open) return;
    fsyncSync(this.open.fd);
    closeSync(this.open.fd);
    this.sealed.push(this.open.n);
    this.open = null;
  }

  private read(n: number): SpooledMessage[] {
    const text = readFileSync(join(this.dir, name(n)), 'utf8');
    const messages: SpooledMessage[] = [];
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      // A torn last line (a crash mid-write) has no complete JSON after the tab: skip it.
      if (tab > 0 && line.endsWith('}'))
        messages.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
    }
    return messages;
  }

  private countLines(n: number): number {
    return this.read(n).length;
  }
}
