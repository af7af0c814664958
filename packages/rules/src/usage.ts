/** The usage buckets' granularities (each sized in BUCKET_MS). */
export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Stored for a client whose country (or address) is not known. */
export const UNKNOWN_COUNTRY = '??';
export const UNKNOWN_IP = 'unknown';
