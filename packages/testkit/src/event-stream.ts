import { randomUUID } from 'node:crypto';
import { type AuthEvent, messageKeyOf, newAuthEvent, TOPICS } from '@keywatch/events';
import type { Kafka } from 'kafkajs';

export interface StreamOptions {
  events: number;
  /** Key ids the events are spread over. */
  keyIds: string[];
  /** Share of events with no key (unknown keys), counted per source IP. */
  keylessShare?: number;
  /** Events are stamped in order over this many minutes before `now`, with some arriving late. */
  spreadMinutes?: number;
  now?: Date;
}

/** What the aggregates must hold once every event of a stream is applied. */
export interface StreamTotals {
  events: number;
  keyed: number;
  keyless: number;
  failures: number;
  /** Every keyless event of this stream comes from an address starting so (IPv6, per stream). */
  keylessIpPrefix: string;
  byKey: Map<string, { total: number; failure: number }>;
}

const CODES_FAILING: AuthEvent['code'][] = ['INSUFFICIENT_SCOPE', 'RATE_LIMITED', 'IP_NOT_ALLOWED'];
const COUNTRIES = ['GB', 'US', 'NL', 'DE', null];
// Byte-bounded sends: Kafka refuses a request past 1 MB and an event is about 400 bytes.
const SEND_SIZE = 2000;
const LATE_MS = 30 * 60_000;

/**
 * Produces a deterministic, varied stream of AuthEvents (codes, countries, IPs, keyless events,
 * producer sequence numbers as a verifier sets them) and returns the totals it must add up to.
 */
export async function produceEventStream(kafka: Kafka, options: StreamOptions): Promise<StreamTotals> {
  const { events, keyIds, keylessShare = 0.02, spreadMinutes = 60, now = new Date() } = options;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const producerId = randomUUID();
  const step = (spreadMinutes * 60_000) / events;
  const start = now.getTime() - spreadMinutes * 60_000;
  const keylessIpPrefix = `2001:db8:${producerId.slice(0, 4)}:`;
  const totals: StreamTotals = { events, keyed: 0, keyless: 0, failures: 0, keylessIpPrefix, byKey: new Map() };
  try {
    let batch: AuthEvent[] = [];
    for (let i = 0; i < events; i++) {
      const keyless = (i * 7919) % 1000 < keylessShare * 1000;
      const keyId = keyless ? null : keyIds[i % keyIds.length]!;
      const failing = keyless || i % 10 === 3;
      const code = keyless ? 'INVALID_API_KEY' : failing ? CODES_FAILING[i % CODES_FAILING.length]! : 'VALID';
      const event = newAuthEvent({
        at: new Date(start + i * step - (i % 997 === 0 ? LATE_MS : 0)),
        keyId,
        orgId: null,
        keyPrefix: null,
        code,
        scope: 'chat',
        method: 'GET',
        path: '/v1/chat',
        // A key is used from a few addresses; unknown keys come from many (credential stuffing).
        ip: keyless ? `${keylessIpPrefix}:${i % 250}` : `198.51.${i % keyIds.length % 250}.${(i >> 10) % 4}`,
        country: COUNTRIES[i % COUNTRIES.length]!,
        userAgent: 'bench',
        latencyMs: 0.4,
      });
      batch.push({ ...event, producerId, seq: i });
      if (keyId) {
        totals.keyed++;
        const perKey = totals.byKey.get(keyId) ?? { total: 0, failure: 0 };
        perKey.total++;
        perKey.failure += failing ? 1 : 0;
        totals.byKey.set(keyId, perKey);
      } else totals.keyless++;
      totals.failures += failing ? 1 : 0;
      if (batch.length === SEND_SIZE || i === events - 1) {
        await producer.send({
          topic: TOPICS.authEvents,
          acks: -1,
          messages: batch.map((e) => ({ key: messageKeyOf(e), value: JSON.stringify(e) })),
        });
        batch = [];
      }
    }
  } finally {
    await producer.disconnect();
  }
  return totals;
}
