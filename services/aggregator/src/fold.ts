import type { Granularity } from '@keywatch/db';
import type { AuthEvent } from '@keywatch/events';
import { bucketStart } from '@keywatch/rules';

export interface BucketDelta {
  keyId: string;
  granularity: Granularity;
  bucketStart: Date;
  total: number;
  success: number;
  failure: number;
}

export interface LabelDelta {
  keyId: string;
  granularity: Granularity;
  bucketStart: Date;
  label: string;
  count: number;
}

export interface LastUse {
  keyId: string;
  at: Date;
  ip: string | null;
  country: string | null;
}

/** What a batch of events adds to the aggregates: all the arithmetic, none of the I/O. */
export interface UsageDelta {
  buckets: BucketDelta[];
  codes: LabelDelta[];
  countries: LabelDelta[];
  lastUse: LastUse[];
  /** Events folded (keyless events are not, yet: they carry no key to count against). */
  counted: number;
}

const GRANULARITIES: Granularity[] = ['minute', 'hour', 'day'];
export const UNKNOWN_COUNTRY = '??';

/** Folds events into per-key, per-bucket deltas, bucketed by event time (late events land in their own bucket). */
export function foldEvents(events: readonly AuthEvent[]): UsageDelta {
  const buckets = new Map<string, BucketDelta>();
  const codes = new Map<string, LabelDelta>();
  const countries = new Map<string, LabelDelta>();
  const lastUse = new Map<string, LastUse>();
  let counted = 0;

  for (const event of events) {
    if (!event.keyId) continue;
    counted++;
    const at = new Date(event.ts);
    const success = event.outcome === 'success' ? 1 : 0;
    for (const granularity of GRANULARITIES) {
      const start = bucketStart(granularity, at);
      const id = `${event.keyId}|${granularity}|${start.getTime()}`;
      let bucket = buckets.get(id);
      if (!bucket) {
        bucket = { keyId: event.keyId, granularity, bucketStart: start, total: 0, success: 0, failure: 0 };
        buckets.set(id, bucket);
      }
      bucket.total++;
      bucket.success += success;
      bucket.failure += 1 - success;
      addLabel(codes, event.keyId, granularity, start, event.code);
      addLabel(countries, event.keyId, granularity, start, event.country ?? UNKNOWN_COUNTRY);
    }
    const previous = lastUse.get(event.keyId);
    if (!previous || previous.at < at)
      lastUse.set(event.keyId, { keyId: event.keyId, at, ip: event.ip, country: event.country });
  }
  return {
    buckets: [...buckets.values()],
    codes: [...codes.values()],
    countries: [...countries.values()],
    lastUse: [...lastUse.values()],
    counted,
  };
}

function addLabel(
  into: Map<string, LabelDelta>,
  keyId: string,
  granularity: Granularity,
  start: Date,
  label: string,
) {
  const id = `${keyId}|${granularity}|${start.getTime()}|${label}`;
  const found = into.get(id);
  if (found) found.count++;
  else into.set(id, { keyId, granularity, bucketStart: start, label, count: 1 });
}
