/** The usage buckets' granularities (each sized in BUCKET_MS). */
export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
/** The granularities rolled up from finer buckets, which an alert's window is counted in. */
export type CoarseGranularity = Exclude<Granularity, 'minute'>;

/** Stored for a client whose country (or address) is not known. */
export const UNKNOWN_COUNTRY = '??';
export const UNKNOWN_IP = 'unknown';
