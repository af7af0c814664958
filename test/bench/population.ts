// A synthetic population of API keys for the detection benchmark: weeks of benign traffic with the
// habits real keys have, and incidents injected into the last week, as AuthEvents in time order.
// Everything follows from the seed, so a figure can be reproduced and an alert traced to its cause.
import type { BacktestKey } from '@keywatch/backtest';
import type { AuthEvent } from '@keywatch/events';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@keywatch/rules';

/** What a key's traffic habitually looks like; each key has one or two. */
export const HABITS = [
  'steady',
  'diurnal',
  'serverless',
  'global',
  'nightlyBatch',
  'growth',
  'multiRegion',
  'lowVolume',
  'idleDays',
] as const;
export type Habit = (typeof HABITS)[number];

/** Habits that say where requests come from: a key has at most one (the default is a few servers at home). */
const ORIGIN_HABITS: readonly Habit[] = ['serverless', 'global', 'multiRegion'];

export const INCIDENT_KINDS = [
  'leakedNewCountry',
  'volumeSpike',
  'dormantReuse',
  'ipFanOut',
  'credentialStuffing',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Incident {
  kind: IncidentKind;
  /** The key misused; null for credential stuffing, which presents unknown keys. */
  keyId: string | null;
  /** The attacker's address, for credential stuffing. */
  sourceIp: string | null;
  start: Date;
  end: Date;
}

/** A key of the population, as the backtest takes it, with the habits its traffic follows. */
export interface PopulationKey extends BacktestKey {
  habits: Habit[];
  /** Requests per hour on average, before the habits shape it. */
  rate: number;
}

export interface PopulationOptions {
  seed: number;
  keys?: number;
  days?: number;
  /** The end of the simulated traffic; a Monday, so weeks line up with calendar weeks. */
  end?: Date;
  incidentsPerKind?: number;
}

export interface Population {
  seed: number;
  /** The simulated window [start, end); dormant keys' old traffic lies before it. */
  start: Date;
  end: Date;
  days: number;
  keys: PopulationKey[];
  incidents: Incident[];
  /**
   * The events in time order, generated afresh (and identically) on each call; a shard holds
   * every `shards`-th key (by index) and, in shard 0, the unknown keys.
   */
  events(part?: { shard?: number; shards?: number }): Generator<AuthEvent>;
}

const POPULATION_DEFAULTS = {
  keys: 300,
  days: 21,
  end: new Date('2025-03-03T00:00:00.000Z'),
  incidentsPerKind: 10,
} as const;

// Countries with a representative UTC offset (hours), for where keys live and when their day is.
const COUNTRIES: readonly (readonly [string, number])[] = [
  ['US', -6],
  ['GB', 0],
  ['DE', 1],
  ['FR', 1],
  ['NL', 1],
  ['IN', 5],
  ['JP', 9],
  ['BR', -3],
  ['CA', -5],
  ['AU', 10],
  ['SG', 8],
  ['IE', 0],
  ['ES', 1],
  ['IT', 1],
  ['SE', 1],
  ['PL', 1],
  ['KR', 9],
  ['NZ', 12],
  ['MX', -6],
  ['AR', -3],
  ['ZA', 2],
  ['NG', 1],
  ['KE', 3],
  ['EG', 2],
  ['TR', 3],
  ['AE', 4],
  ['SA', 3],
  ['IL', 2],
  ['UA', 2],
  ['HK', 8],
  ['TW', 8],
  ['ID', 7],
  ['TH', 7],
  ['VN', 7],
  ['PH', 8],
  ['MY', 8],
  ['PK', 5],
  ['BD', 6],
  ['CO', -5],
  ['CL', -4],
  ['PE', -5],
  ['PT', 0],
  ['BE', 1],
  ['CH', 1],
  ['AT', 1],
  ['DK', 1],
  ['NO', 1],
  ['FI', 2],
  ['CZ', 1],
  ['RO', 2],
  ['HU', 1],
  ['GR', 2],
];
/** Where most keys' owners are: the first countries of the list. */
const HOME_COUNTRIES = 12;

/**
 * Requests per hour, log-uniform: most keys are quiet (1–40), and a few busy ones (40–2,000) carry
 * half the traffic. Low-volume keys make a few an hour or less.
 */
const BUSY_RATE = { share: 0.02, min: 40, max: 2000 } as const;

/** Dormant keys were last used this long before the end (their traffic ran for the days between). */
const DORMANT_USE = { fromDays: 60, untilDays: 45 } as const;
/** Incidents happen in the last week, and end this long before the traffic does. */
const INCIDENT_WEEK_MS = 7 * DAY_MS;
const INCIDENT_MARGIN_MS = 2 * HOUR_MS;
/** A volume spike is ten times the hour's normal rate, on an hour whose rate makes that meaningful. */
const SPIKE = { factor: 10, minRate: 5 } as const;
/** Share of a key's own requests that fail (scope, rate limit, IP allow-list), as clients misbehave. */
const FAILURE_SHARE = 0.003;
const FAILURE_CODES: readonly AuthEvent['code'][] = ['INSUFFICIENT_SCOPE', 'RATE_LIMITED', 'IP_NOT_ALLOWED'];
/** Unknown keys presented per hour from scattered addresses (typos, old keys, scanners): the noise floor. */
const KEYLESS_NOISE_PER_HOUR = 4;

/** mulberry32: a small, fast, seeded PRNG; the bench must not depend on Math.random. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  between(min: number, max: number) {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number) {
    return Math.floor(this.between(min, max + 1));
  }
  chance(p: number) {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, count);
  }
  /** Log-uniform: as many keys between 1 and 10 requests an hour as between 100 and 1,000. */
  logBetween(min: number, max: number) {
    return min * (max / min) ** this.next();
  }
  /** Poisson counts; a normal approximation past where the exact method gets slow. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) {
      const gauss = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss));
    }
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }
  /** An index drawn by cumulative weights (ascending, the last being the total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.next() * cumulative.at(-1)!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = (8 + Math.floor(this.next() * 4)).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
  /** A public-looking IPv4 address (first octet 11–222, never a private or reserved block we care about). */
  ipv4(): string {
    return `${this.int(11, 222)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

const cumulativeOf = (weights: readonly number[]) => {
  let total = 0;
  return weights.map((w) => (total += w));
};

/** Where a key's requests come from, and the state that drifts from hour to hour. */
type Origin =
  | { habit: 'home'; country: string; ips: string[] }
  | { habit: 'multiRegion'; countries: string[]; cumulative: number[]; ips: string[][] }
  | {
      habit: 'serverless';
      country: string;
      /** The provider's egress addresses the key's functions run behind; a few are replaced each hour. */
      pool: string[];
      rotatePerHour: number;
      /** Egress addresses in use in an hour at the key's average rate (they scale with load). */
      activeAtRate: number;
    }
  | {
      habit: 'global';
      /** Countries in order of popularity; `revealed` of them have users so far. */
      countries: string[];
      cumulative: number[];
      revealed: number;
      /** Every few days the key's users turn up in a country it has not seen. */
      revealEveryMs: number;
      nextRevealAt: number;
    };

interface KeyModel {
  key: PopulationKey;
  /** Its place in the population, which names its random stream and its shard. */
  index: number;
  tzHours: number;
  prefix: string;
  origin: Origin;
  /** Traffic share at weekends for diurnal keys (weekdays are 1). */
  weekend: number;
  growthPerDay: number;
  /** Requests per client session, on average. */
  session: number;
  batch: { factor: number; host: string } | null;
  /** Days (from the start) the key is not used at all. */
  idle: Set<number>;
  /** Dormant keys' traffic stops at `DORMANT_USE.untilDays` before the end. */
  dormant: boolean;
}

/** A diurnal key's share of its daily average in each local hour: quiet nights, busy afternoons. */
const DAY_SHAPE = (() => {
  const raw = Array.from({ length: 24 }, (_, h) =>
    h < 6 || h > 22 ? 0.15 : 0.15 + 1.85 * Math.sin((Math.PI * (h - 6)) / 16) ** 2,
  );
  const mean = raw.reduce((a, b) => a + b, 0) / 24;
  return raw.map((r) => r / mean);
})();

const NIGHTLY_BATCH_UTC_HOUR = 2;

/** Creates the keys (with their habits) and the incidents; `events()` then streams the traffic. */
export function createPopulation(options: PopulationOptions): Population {
  const {
    seed,
    keys: keyCount = POPULATION_DEFAULTS.keys,
    days = POPULATION_DEFAULTS.days,
    end = POPULATION_DEFAULTS.end,
    incidentsPerKind = POPULATION_DEFAULTS.incidentsPerKind,
  } = options;
  const random = new Random(mulberry32(seed));
  const endMs = end.getTime();
  const startMs = endMs - days * DAY_MS;
  const orgIds = Array.from({ length: Math.max(1, Math.round(keyCount / 5)) }, () => random.uuid());
  // The busy keys' rates are spread evenly over their range (log-stratified), so that every
  // population carries about as much traffic, and takes about as long, as the next.
  const busy = Math.round(keyCount * BUSY_RATE.share);
  const busyRate = (i: number) =>
    BUSY_RATE.min * (BUSY_RATE.max / BUSY_RATE.min) ** ((i + random.next()) / busy);
  const models = Array.from({ length: keyCount }, (_, i) =>
    createKey(random, orgIds, startMs, days, i, i < busy ? busyRate(i) : null),
  );

  // Each keyed incident on a key of its own, so no incident's alerts are explained by another's.
  const spare = random.sample(models, keyCount);
  const plans: IncidentPlan[] = [];
  /** A start in the last week, minute-aligned, leaving the incident `ms` to run before the margin. */
  const incidentsFrom = Math.max(startMs, endMs - INCIDENT_WEEK_MS);
  const startFor = (ms: number) =>
    Math.floor(random.between(incidentsFrom, endMs - INCIDENT_MARGIN_MS - ms) / MINUTE_MS) * MINUTE_MS;
  const hourStart = () => Math.floor(startFor(HOUR_MS) / HOUR_MS) * HOUR_MS;

  for (const model of spare.splice(0, incidentsPerKind)) {
    model.dormant = true;
    const hours = random.int(1, 2);
    const start = startFor(hours * HOUR_MS);
    plans.push({ kind: 'dormantReuse', model, start, end: start + hours * HOUR_MS });
  }
  // A leak from a new country, on a key not used from everywhere: for those the issue asks that a
  // new country be no news (it is suppressed), so no signal could tell a leak there.
  const notGlobal = spare.filter((m) => m.origin.habit !== 'global').slice(0, incidentsPerKind);
  spare.splice(0, spare.length, ...spare.filter((m) => !notGlobal.includes(m)));
  for (const model of notGlobal) {
    const used = new Set(countriesOf(model.origin));
    const country = random.pick(COUNTRIES.filter(([c]) => !used.has(c)))[0];
    const hours = random.int(1, 2);
    const start = startFor(hours * HOUR_MS);
    const ips = Array.from({ length: random.int(1, 4) }, () => random.ipv4());
    const requests = random.int(5, 50);
    plans.push({
      kind: 'leakedNewCountry',
      model,
      start,
      end: start + hours * HOUR_MS,
      requests,
      country,
      ips,
    });
  }
  for (const model of spare.splice(0, incidentsPerKind)) {
    const start = hourStart();
    const ips = Array.from({ length: random.int(60, 200) }, () => random.ipv4());
    const country = countriesOf(model.origin)[0]!;
    plans.push({ kind: 'ipFanOut', model, start, end: start + HOUR_MS, ips, country });
  }
  // A spike needs an hour the key is normally busy in: hours are drawn until some key is.
  for (let spikes = 0, tries = 0; spikes < incidentsPerKind && tries < 1000; tries++) {
    const start = hourStart();
    const found = spare.findIndex((m) => expectedRequests(m, start, startMs) >= SPIKE.minRate);
    if (found < 0) continue;
    const model = spare.splice(found, 1)[0]!;
    const extra = (SPIKE.factor - 1) * expectedRequests(model, start, startMs);
    plans.push({ kind: 'volumeSpike', model, start, end: start + HOUR_MS, extra });
    spikes++;
  }
  for (let i = 0; i < incidentsPerKind; i++) {
    const minutes = random.int(10, 30);
    const start = startFor(minutes * MINUTE_MS);
    const ip = random.ipv4();
    plans.push({
      kind: 'credentialStuffing',
      start,
      end: start + minutes * MINUTE_MS,
      ip,
      perMinute: random.int(10, 60),
    });
  }

  return {
    seed,
    start: new Date(startMs),
    end,
    days,
    keys: models.map((m) => m.key),
    incidents: plans.map((plan) => ({
      kind: plan.kind,
      keyId: plan.kind === 'credentialStuffing' ? null : plan.model.key.id,
      sourceIp: plan.kind === 'credentialStuffing' ? plan.ip : null,
      start: new Date(plan.start),
      end: new Date(plan.end),
    })),
    events: ({ shard = 0, shards = 1 } = {}) =>
      streamEvents({ seed, models, plans, startMs, endMs, shard, shards }),
  };
}

function createKey(
  random: Random,
  orgIds: readonly string[],
  startMs: number,
  days: number,
  index: number,
  busyRate: number | null,
): KeyModel {
  const first = random.pick(HABITS);
  const habits: Habit[] = [first];
  if (random.chance(0.5)) {
    const compatible = HABITS.filter(
      (h) => h !== first && !(ORIGIN_HABITS.includes(h) && ORIGIN_HABITS.includes(first)),
    );
    habits.push(random.pick(compatible));
  }
  const has = (habit: Habit) => habits.includes(habit);
  const [home, tzHours] = random.pick(COUNTRIES.slice(0, HOME_COUNTRIES));
  const rate = has('lowVolume')
    ? random.logBetween(0.1, 3)
    : (busyRate ?? random.logBetween(1, BUSY_RATE.min));
  const key: PopulationKey = {
    id: random.uuid(),
    orgId: random.pick(orgIds),
    // Long enough ago that the learning period, and the dormant keys' old traffic, come after it.
    createdAt: new Date(startMs - random.int(90, 400) * DAY_MS),
    alerts: { unusualActivity: true },
    habits,
    rate,
  };

  let origin: Origin;
  if (has('serverless')) {
    origin = {
      habit: 'serverless',
      country: home,
      pool: Array.from({ length: random.int(150, 400) }, () => random.ipv4()),
      rotatePerHour: random.int(1, 4),
      activeAtRate: Math.min(rate, random.int(20, 60)),
    };
  } else if (has('global')) {
    const countries = [
      home,
      ...random.sample(
        COUNTRIES.map(([c]) => c).filter((c) => c !== home),
        random.int(20, 40),
      ),
    ];
    // Zipf-like: the n-th country has 1/n of the first's users.
    origin = {
      habit: 'global',
      countries,
      cumulative: cumulativeOf(countries.map((_, i) => 1 / (i + 1))),
      revealed: Math.ceil(countries.length * random.between(0.4, 0.7)),
      revealEveryMs: random.between(2, 5) * DAY_MS,
      nextRevealAt: startMs + random.between(0, 5) * DAY_MS,
    };
  } else if (has('multiRegion')) {
    const countries = [
      home,
      ...random.sample(
        COUNTRIES.map(([c]) => c).filter((c) => c !== home),
        random.int(2, 4),
      ),
    ];
    origin = {
      habit: 'multiRegion',
      countries,
      // Uneven: the first region carries most traffic, the last very little.
      cumulative: cumulativeOf(countries.map((_, i) => 0.5 ** i * random.between(0.7, 1.3))),
      ips: countries.map(() => Array.from({ length: random.int(2, 6) }, () => random.ipv4())),
    };
  } else {
    origin = {
      habit: 'home',
      country: home,
      ips: Array.from({ length: random.int(1, 4) }, () => random.ipv4()),
    };
  }

  const idle = new Set<number>();
  if (has('idleDays')) {
    const share = random.between(0.15, 0.4);
    // Day indexes from the dormant keys' old traffic (negative) to the end.
    for (let day = -DORMANT_USE.fromDays; day < days; day++) if (random.chance(share)) idle.add(day);
  }
  return {
    key,
    index,
    tzHours,
    prefix: `kw_${key.id.slice(0, 8)}`,
    origin,
    weekend: random.between(0.2, 0.4),
    growthPerDay: has('growth') ? random.between(0.01, 0.03) : 0,
    session: random.between(1, 3),
    batch: has('nightlyBatch') ? { factor: random.between(5, 20), host: random.ipv4() } : null,
    idle,
    dormant: false,
  };
}

function countriesOf(origin: Origin): string[] {
  switch (origin.habit) {
    case 'home':
    case 'serverless':
      return [origin.country];
    case 'multiRegion':
    case 'global':
      return origin.countries;
  }
}

/** The key's expected requests in the hour starting at `hourStart`, from its habits alone. */
function hourlyRate(model: KeyModel, hourStart: number, startMs: number): number {
  const day = Math.floor((hourStart - startMs) / DAY_MS);
  if (model.idle.has(day)) return 0;
  let rate = model.key.rate * (1 + model.growthPerDay) ** day;
  if (model.key.habits.includes('diurnal')) {
    const local = new Date(hourStart + model.tzHours * HOUR_MS);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    rate *= DAY_SHAPE[local.getUTCHours()]! * (weekend ? model.weekend : 1);
  }
  return rate;
}

/** All the key's expected requests in the hour: its habitual rate and, at night, its batch. */
function expectedRequests(model: KeyModel, hourStart: number, startMs: number): number {
  const rate = hourlyRate(model, hourStart, startMs);
  const batch = model.batch && new Date(hourStart).getUTCHours() === NIGHTLY_BATCH_UTC_HOUR;
  return batch ? rate * (1 + model.batch!.factor) : rate;
}

type IncidentPlan =
  | { kind: 'dormantReuse'; model: KeyModel; start: number; end: number }
  | {
      kind: 'leakedNewCountry';
      model: KeyModel;
      start: number;
      end: number;
      requests: number;
      country: string;
      ips: string[];
    }
  | { kind: 'ipFanOut'; model: KeyModel; start: number; end: number; ips: string[]; country: string }
  | { kind: 'volumeSpike'; model: KeyModel; start: number; end: number; extra: number }
  | { kind: 'credentialStuffing'; start: number; end: number; ip: string; perMinute: number };

/** An hour's events are put in order by offset and index packed in one number: sorted natively. */
const INDEX_SPAN = 2 ** 22;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * One hour's events, stamped and put in time order as the hour is drained. Stamping from the
 * hour's prefix is several times cheaper than `toISOString`, and the bench makes millions.
 */
class HourBuffer {
  private events: AuthEvent[] = [];
  private offsets: number[] = [];
  private hour = 0;

  begin(hour: number) {
    this.hour = hour;
  }

  add(at: number, event: AuthEvent) {
    this.offsets.push(at - this.hour);
    this.events.push(event);
  }

  *drain(): Generator<AuthEvent> {
    const { events, offsets } = this;
    if (events.length >= INDEX_SPAN) throw new Error(`more than ${INDEX_SPAN} events in one hour`);
    const order = new Float64Array(events.length);
    for (let i = 0; i < events.length; i++) order[i] = offsets[i]! * INDEX_SPAN + i;
    order.sort();
    const prefix = new Date(this.hour).toISOString().slice(0, 14); // YYYY-MM-DDTHH:
    this.events = [];
    this.offsets = [];
    for (const packed of order) {
      const offset = Math.floor(packed / INDEX_SPAN);
      const event = events[packed - offset * INDEX_SPAN]!;
      const minute = Math.floor(offset / MINUTE_MS);
      const second = Math.floor((offset % MINUTE_MS) / 1000);
      event.ts = `${prefix}${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[offset % 1000]}Z`;
      yield event;
    }
  }
}

/** A seed for one of a population's streams, well apart from its neighbours' (murmur3's finaliser). */
function streamSeed(seed: number, stream: number): number {
  let h = Math.imul(seed, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One source of events with its own random stream: a key, or the unknown keys (stream 0). */
interface Stream {
  random: Random;
  id: string;
  sent: number;
}

/**
 * Hour by hour: the keys' requests in the hour, the incidents' and the keyless noise, sorted. Only
 * one hour is ever held, so memory stays flat however long the population runs. Each key draws
 * from its own stream, so a shard (every `shards`-th key; the unknown keys with shard 0) holds
 * exactly the events the whole population has for those keys.
 */
function* streamEvents(input: {
  seed: number;
  models: KeyModel[];
  plans: IncidentPlan[];
  startMs: number;
  endMs: number;
  shard: number;
  shards: number;
}): Generator<AuthEvent> {
  const { seed, plans, startMs, endMs, shard, shards } = input;
  const models = input.models.filter((m) => m.index % shards === shard);
  const newStream = (stream: number): Stream => ({
    random: new Random(mulberry32(streamSeed(seed, stream))),
    id: `${seed}.${stream}`,
    sent: 0,
  });
  const streams = new Map(models.map((m) => [m, newStream(m.index + 1)]));
  const unknownKeys = shard === 0 ? newStream(0) : null;
  // Origins drift as the stream goes (rotating pools, newly reached countries): each run its own copy.
  const origins = new Map(models.map((m) => [m, structuredClone(m.origin)]));
  const buffer = new HourBuffer();

  const keyed = (model: KeyModel, at: number, ip: string, country: string) => {
    const stream = streams.get(model)!;
    const fails = stream.random.chance(FAILURE_SHARE);
    buffer.add(at, {
      v: 1,
      id: `${stream.id}.${stream.sent++}`,
      ts: '',
      keyId: model.key.id,
      orgId: model.key.orgId,
      keyPrefix: model.prefix,
      outcome: fails ? 'failure' : 'success',
      code: fails ? stream.random.pick(FAILURE_CODES) : 'VALID',
      scope: 'api',
      method: 'GET',
      path: '/v1/items',
      ip,
      country,
      userAgent: 'bench-population',
      latencyMs: 1,
    });
  };
  const unknownKey = (stream: Stream, at: number, ip: string) =>
    buffer.add(at, {
      v: 1,
      id: `${stream.id}.${stream.sent++}`,
      ts: '',
      keyId: null,
      orgId: null,
      keyPrefix: `kw_${Math.floor(stream.random.next() * 0xffffffff).toString(16)}`,
      outcome: 'failure',
      code: 'INVALID_API_KEY',
      scope: null,
      method: 'GET',
      path: '/v1/items',
      ip,
      country: null,
      userAgent: null,
      latencyMs: 1,
    });
  const within = (random: Random, from: number, to: number) => from + Math.floor(random.next() * (to - from));

  /**
   * About `mean` requests of the key's own habits in [from, to), from where it usually is. Clients
   * send in sessions (a page load, a job's few calls): each session is one address, within a minute.
   */
  const habitual = (model: KeyModel, hourStart: number, from: number, to: number, mean: number): number => {
    const { random } = streams.get(model)!;
    const origin = origins.get(model)!;
    let hourIps: string[] = [];
    if (origin.habit === 'serverless') {
      for (let i = 0; i < origin.rotatePerHour; i++)
        origin.pool[Math.floor(random.next() * origin.pool.length)] = random.ipv4();
      // Functions scale out with load: busier hours run behind more egress addresses.
      const scale = mean / Math.max(model.key.rate, 1e-9);
      const active = Math.max(1, Math.min(origin.pool.length, Math.round(origin.activeAtRate * scale)));
      hourIps = random.sample(origin.pool, active);
    }
    let reached: number[] = [];
    if (origin.habit === 'global') {
      while (hourStart >= origin.nextRevealAt && origin.revealed < origin.countries.length) {
        origin.revealed++;
        origin.nextRevealAt += origin.revealEveryMs;
      }
      reached = origin.cumulative.slice(0, origin.revealed);
    }
    const sessions = random.poisson(mean / model.session);
    // Session sizes are geometric with mean `model.session`.
    const more = model.session > 1 ? Math.log(1 - 1 / model.session) : 0;
    let produced = 0;
    for (let s = 0; s < sessions; s++) {
      let ip: string;
      let country: string;
      switch (origin.habit) {
        case 'home':
          ip = random.pick(origin.ips);
          country = origin.country;
          break;
        case 'multiRegion': {
          const region = random.weighted(origin.cumulative);
          ip = random.pick(origin.ips[region]!);
          country = origin.countries[region]!;
          break;
        }
        case 'serverless':
          ip = random.pick(hourIps);
          country = origin.country;
          break;
        case 'global':
          ip = random.ipv4();
          country = origin.countries[random.weighted(reached)]!;
          break;
      }
      const size = more === 0 ? 1 : 1 + Math.floor(Math.log(1 - random.next()) / more);
      const at = within(random, from, to);
      for (let i = 0; i < size; i++)
        keyed(model, Math.min(to - 1, at + Math.floor(random.next() * 20_000)), ip, country);
      produced += size;
    }
    return produced;
  };

  const hourOf = (hourStart: number, models: readonly KeyModel[]) => {
    for (const model of models) {
      const rate = hourlyRate(model, hourStart, startMs);
      habitual(model, hourStart, hourStart, hourStart + HOUR_MS, rate);
      if (model.batch && new Date(hourStart).getUTCHours() === NIGHTLY_BATCH_UTC_HOUR && rate > 0) {
        // The batch host works through its queue in the first half hour.
        const { random } = streams.get(model)!;
        const count = random.poisson(rate * model.batch.factor * random.between(0.8, 1.2));
        const home = countriesOf(model.origin)[0]!;
        for (let i = 0; i < count; i++)
          keyed(model, within(random, hourStart, hourStart + 30 * MINUTE_MS), model.batch.host, home);
      }
    }
  };
  // The dormant keys' old traffic, before the window: all that the backtest will remember of them.
  const dormant = models.filter((m) => m.dormant);
  const dormantUntil = endMs - DORMANT_USE.untilDays * DAY_MS;
  for (let hour = endMs - DORMANT_USE.fromDays * DAY_MS; hour < dormantUntil; hour += HOUR_MS) {
    buffer.begin(hour);
    hourOf(hour, dormant);
    yield* buffer.drain();
  }

  const active = models.filter((m) => !m.dormant);
  const ours = plans.filter((p) =>
    p.kind === 'credentialStuffing' ? unknownKeys !== null : streams.has(p.model),
  );
  for (let hour = startMs; hour < endMs; hour += HOUR_MS) {
    buffer.begin(hour);
    hourOf(hour, active);
    if (unknownKeys) {
      const noise = unknownKeys.random.poisson(KEYLESS_NOISE_PER_HOUR);
      for (let i = 0; i < noise; i++)
        unknownKey(unknownKeys, within(unknownKeys.random, hour, hour + HOUR_MS), unknownKeys.random.ipv4());
    }
    for (const plan of ours) {
      const from = Math.max(plan.start, hour);
      const to = Math.min(plan.end, hour + HOUR_MS);
      if (from < to) incidentHour(plan, hour, from, to);
    }
    yield* buffer.drain();
  }

  function incidentHour(plan: IncidentPlan, hour: number, from: number, to: number) {
    const share = (to - from) / (plan.end - plan.start);
    if (plan.kind === 'credentialStuffing') {
      const { random } = unknownKeys!;
      for (let minute = from; minute < to; minute += MINUTE_MS) {
        const count = random.poisson(plan.perMinute);
        for (let i = 0; i < count; i++)
          unknownKey(unknownKeys!, within(random, minute, Math.min(minute + MINUTE_MS, to)), plan.ip);
      }
      return;
    }
    const { random } = streams.get(plan.model)!;
    switch (plan.kind) {
      case 'dormantReuse': {
        // Used again as it used to be, and at least a few requests.
        let produced = 0;
        while (produced < 3) produced += habitual(plan.model, hour, from, to, plan.model.key.rate * share);
        break;
      }
      case 'leakedNewCountry':
        for (let i = 0; i < Math.round(plan.requests * share); i++)
          keyed(plan.model, within(random, from, to), random.pick(plan.ips), plan.country);
        break;
      case 'ipFanOut':
        // Each new address makes a few requests: a leaked key shared out, or a proxy network.
        for (const ip of plan.ips) {
          const requests = random.int(1, 4);
          for (let i = 0; i < requests; i++) keyed(plan.model, within(random, from, to), ip, plan.country);
        }
        break;
      case 'volumeSpike':
        habitual(plan.model, hour, from, to, plan.extra);
        break;
    }
  }
}
