import { randomUUID } from 'node:crypto';
import { type AuthEvent, messageKeyOf, newAuthEvent, TOPICS } from '@keywatch/events';
import type { Kafka } from 'kafkajs';

export interface StreamOptions {
  events: number;
  /** Key ids the events are spread over, in turn. */
  keyIds: string[];
  /** Share of events with no key (unknown keys), spread evenly through the stream. */
  keylessShare?: number;
  /** Events are stamped in order over this many minutes before `now`. */
  spreadMinutes?: number;
  now?: Date;
  /** Every n-th keyed event fails (one of a few failure codes in turn). */
  failEvery?: number;
  /** Every n-th event arrives this late: stamped `lateByMinutes` before its place in the order. */
  lateEvery?: number;
  lateByMinutes?: number;
  /** Each key is used from this many addresses, switching every `ipRunLength` events. */
  ipsPerKey?: number;
  ipRunLength?: number;
  /** Unknown keys come from this many addresses of one IPv6 /64 (credential stuffing). */
  keylessSources?: number;
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

/**
 * Whether the i-th event is one of a `share` spread evenly through the stream: stepping by a large
 * prime modulo 1000 visits the residues in a scattered order, so no run of events is all one kind.
 */
const inShare = (i: number, share: number) => (i * 7919) % 1000 < share * 1000;

/**
 * A deterministic, varied stream of AuthEvents from one producer (codes, countries, IPs, keyless
 * events, late arrivals, sequence numbers as a verifier sets them), each with whether it is keyless
 * and failing, so a consumer can total what the aggregates must hold.
 */
export function* authEventStream(options: StreamOptions & { producerId: string; keylessIpPrefix: string }) {
  const {
    events,
    keyIds,
    keylessShare = 0.02,
    spreadMinutes = 60,
    now = new Date(),
    failEvery = 10,
    lateEvery = 997,
    lateByMinutes = 30,
    ipsPerKey = 4,
    ipRunLength = 1024,
    keylessSources = 250,
    producerId,
    keylessIpPrefix,
  } = options;
  const step = (spreadMinutes * 60_000) / events;
  const start = now.getTime() - spreadMinutes * 60_000;
  for (let i = 0; i < events; i++) {
    const keyless = inShare(i, keylessShare);
    const keyIndex = i % keyIds.length;
    const failing = keyless || i % failEvery === 3;
    const code = keyless ? 'INVALID_API_KEY' : failing ? CODES_FAILING[i % CODES_FAILING.length]! : 'VALID';
    const event = newAuthEvent({
      at: new Date(start + i * step - (i % lateEvery === 0 ? lateByMinutes * 60_000 : 0)),
      keyId: keyless ? null : keyIds[keyIndex]!,
      orgId: null,
      keyPrefix: null,
      code,
      scope: 'chat',
      method: 'GET',
      path: '/v1/chat',
      ip: keyless
        ? `${keylessIpPrefix}:${i % keylessSources}`
        : `198.51.${keyIndex % 250}.${Math.floor(i / ipRunLength) % ipsPerKey}`,
      country: COUNTRIES[i % COUNTRIES.length]!,
      userAgent: 'bench',
      latencyMs: 0.4,
    });
    yield { event: { ...event, producerId, seq: i }, keyless, failing };
  }
}

/** Produces an `authEventStream` to Kafka and returns the totals it must add up to. */
export async function produceEventStream(kafka: Kafka, options: StreamOptions): Promise<StreamTotals> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const producerId = randomUUID();
  // Written as the aggregator writes a source (an IPv6 /64, no leading zeros), so it matches both.
  const keylessIpPrefix = `2001:db8:${Number.parseInt(producerId.slice(0, 4), 16).toString(16)}:`;
  const totals: StreamTotals = {
    events: options.events,
    keyed: 0,
    keyless: 0,
    failures: 0,
    keylessIpPrefix,
    byKey: new Map(),
  };
  const send = (batch: AuthEvent[]) =>
    producer.send({
      topic: TOPICS.authEvents,
      acks: -1,
      messages: batch.map((e) => ({ key: messageKeyOf(e), value: JSON.stringify(e) })),
    });
  try {
    let batch: AuthEvent[] = [];
    for (const { event, keyless, failing } of authEventStream({ ...options, producerId, keylessIpPrefix })) {
      batch.push(event);
      if (event.keyId) {
        totals.keyed++;
        const perKey = totals.byKey.get(event.keyId) ?? { total: 0, failure: 0 };
        perKey.total++;
        perKey.failure += failing ? 1 : 0;
        totals.byKey.set(event.keyId, perKey);
      } else if (keyless) totals.keyless++;
      totals.failures += failing ? 1 : 0;
      if (batch.length === SEND_SIZE) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
  } finally {
    await producer.disconnect();
  }
  return totals;
}
