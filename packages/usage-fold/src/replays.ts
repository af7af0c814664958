import type { AuthEvent } from '@keywatch/events';

export interface ReplayFilter {
  fresh: AuthEvent[];
  replays: number;
  /** The highest sequence now applied per producer (only producers seen in this batch). */
  maxSeq: Map<string, number>;
}

/**
 * Drops events a producer already delivered to this partition. The verifier resends a batch
 * whose acknowledgement it never saw, and replays its spool after an outage; both repeat events
 * with the sequence numbers they had, and in order, so "not above the highest seen" means "seen".
 */
export function dropReplays(
  events: readonly AuthEvent[],
  applied: ReadonlyMap<string, number>,
): ReplayFilter {
  const maxSeq = new Map<string, number>();
  const fresh: AuthEvent[] = [];
  let replays = 0;
  for (const event of events) {
    if (event.producerId === undefined || event.seq === undefined) {
      fresh.push(event); // from a producer without sequence numbers: nothing to compare with
      continue;
    }
    const highest = maxSeq.get(event.producerId) ?? applied.get(event.producerId) ?? -1;
    if (event.seq <= highest) {
      replays++;
      continue;
    }
    maxSeq.set(event.producerId, event.seq);
    fresh.push(event);
  }
  return { fresh, replays, maxSeq };
}
