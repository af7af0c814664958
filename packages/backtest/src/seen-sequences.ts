import type { AuthEvent } from '@keywatch/events';

/** How far below a producer's highest sequence number a duplicate is still recognised. */
const WINDOW = 1 << 21;

/**
 * The events a producer already delivered, by sequence number. The aggregator keeps the highest
 * number per producer and partition, which is exact in a partition's order; a backtest's input may
 * be in any order (a dump sorted by time, concurrent requests stamped out of sequence), so it
 * remembers each number seen, within a sliding window per producer (a bit each: 256 KB). A number
 * below the window is taken as new: a resent batch is recent, and a spool's replay of events that
 * never arrived must count.
 */
export class SeenSequences {
  private readonly producers = new Map<string, { highest: number; bits: Uint8Array }>();

  /** Whether the event repeats one seen before; remembers it otherwise. */
  repeated(event: AuthEvent): boolean {
    const { producerId, seq } = event;
    if (producerId === undefined || seq === undefined) return false;
    let seen = this.producers.get(producerId);
    if (!seen) {
      seen = { highest: -1, bits: new Uint8Array(WINDOW / 8) };
      this.producers.set(producerId, seen);
    }
    if (seq <= seen.highest - WINDOW) return false;
    if (seq > seen.highest) {
      // Clear the slots the window slides over: they held numbers now below it.
      const from = Math.max(seen.highest + 1, seq - WINDOW + 1);
      for (let s = from; s <= seq; s++) seen.bits[(s % WINDOW) >> 3]! &= ~(1 << (s & 7));
      seen.highest = seq;
    }
    const slot = (seq % WINDOW) >> 3;
    const bit = 1 << (seq & 7);
    if (seen.bits[slot]! & bit) return true;
    seen.bits[slot]! |= bit;
    return false;
  }
}
