import {
  BASELINE_DAYS,
  type Baseline,
  bucketStart,
  HOUR_MS,
  type HourUsage,
  type KeyHistory,
  learnBaseline,
  type TopCountry,
  UNKNOWN_COUNTRY,
  type UsageWindow,
} from '@keywatch/rules';
import type { UsageDelta } from '@keywatch/usage-fold';

/** IPs are kept as a set while an hour can still grow; older hours keep only their count. */
const OPEN_IP_HOURS = 2;

/** One hour of one key, as Postgres holds it in usage_buckets, usage_country_counts and key_hourly_ips. */
export class HourTally implements HourUsage {
  requests = 0;
  failures = 0;
  private ips: Set<string> | null = new Set();
  private ipCount = 0;
  readonly countryCounts = new Map<string, number>();
  private known: string[] | null = null;

  constructor(readonly start: number) {}

  get distinctIps(): number {
    return this.ips ? this.ips.size : this.ipCount;
  }

  /** Known countries, as the signals read them. */
  get countries(): readonly string[] {
    this.known ??= [...this.countryCounts.keys()].filter((c) => c !== UNKNOWN_COUNTRY);
    return this.known;
  }

  addCountry(country: string, count: number) {
    if (!this.countryCounts.has(country)) this.known = null;
    this.countryCounts.set(country, (this.countryCounts.get(country) ?? 0) + count);
  }

  addIp(ip: string) {
    if (this.ips) this.ips.add(ip);
  }

  /** Stored counts (from Postgres): the IPs themselves are not needed. */
  setDistinctIps(count: number) {
    this.ips = null;
    this.ipCount = count;
  }

  close() {
    if (!this.ips) return;
    this.ipCount = this.ips.size;
    this.ips = null;
  }
}

/** How many hours a key's ring holds by default: the baselines' weeks, the day being decided and one more. */
export const DEFAULT_SPAN_HOURS = (BASELINE_DAYS + 2) * 24;

/**
 * One key's hours within the baselines' memory, in a ring indexed by hour (a lookup is an array
 * read: a baseline reads some 900 hours), its last use, and its baselines for the current hours.
 */
export class KeyUsage implements KeyHistory {
  private readonly slots: (HourTally | undefined)[];
  private newest = Number.NEGATIVE_INFINITY;
  usedUntilBefore: number | null = null;
  lastUsedAt: number | null = null;
  /** The baselines learned last and before (they depend only on earlier hours), by hour start. */
  private recentStart = Number.NaN;
  private recent: Baseline | null = null;
  private earlierStart = Number.NaN;
  private earlier: Baseline | null = null;

  constructor(private readonly span = DEFAULT_SPAN_HOURS) {
    this.slots = new Array(span);
  }

  get heldFrom(): number {
    return this.newest - (this.span - 1) * HOUR_MS;
  }

  private slotOf(start: number): number {
    // An hour's number fits 32 bits until the year 2215: a small integer, read as an array index.
    return ((start / HOUR_MS) | 0) % this.span;
  }

  hour(start: number): HourTally | undefined {
    const tally = this.slots[this.slotOf(start)];
    return tally?.start === start ? tally : undefined;
  }

  /** The hour's tally to add to, or undefined for an hour older than the ring holds. */
  tally(start: number): HourTally | undefined {
    if (start > this.newest) this.advance(start);
    if (start < this.heldFrom) return undefined;
    const slot = this.slotOf(start);
    let tally = this.slots[slot];
    if (tally?.start !== start) {
      tally = new HourTally(start);
      this.slots[slot] = tally;
    }
    return tally;
  }

  /** The ring moves on to a newer hour: the hours it overwrites are summed up in `usedUntilBefore`. */
  private advance(newest: number) {
    const steps = Math.min((newest - this.newest) / HOUR_MS, this.span);
    for (let i = 0; i < steps; i++) {
      const slot = this.slotOf(newest - i * HOUR_MS);
      const old = this.slots[slot];
      if (old && old.requests > 0)
        this.usedUntilBefore = Math.max(this.usedUntilBefore ?? 0, old.start + HOUR_MS);
      this.slots[slot] = undefined;
    }
    this.newest = newest;
    this.hour(newest - OPEN_IP_HOURS * HOUR_MS)?.close();
  }

  /** A late event changed an earlier hour: the baselines of later hours are learned again. */
  touched(start: number) {
    if (this.recentStart > start) this.recent = null;
    if (this.earlierStart > start) this.earlier = null;
  }

  baseline(start: number): Baseline {
    if (start === this.recentStart && this.recent) return this.recent;
    if (start === this.earlierStart && this.earlier) return this.earlier;
    const baseline = learnBaseline(this, start);
    [this.earlierStart, this.earlier] = [this.recentStart, this.recent];
    [this.recentStart, this.recent] = [start, baseline];
    return baseline;
  }

  /** Requests and failures in a window up to `now`'s hour, and where most came from. */
  window(window: UsageWindow, now: Date): { requests: number; failures: number; topCountries: TopCountry[] } {
    const until = Math.min(window.end.getTime(), bucketStart('hour', now).getTime() + HOUR_MS);
    let requests = 0;
    let failures = 0;
    const countries = new Map<string, number>();
    for (let at = window.start.getTime(); at < until; at += HOUR_MS) {
      const tally = this.hour(at);
      if (!tally) continue;
      requests += tally.requests;
      failures += tally.failures;
      for (const [country, n] of tally.countryCounts)
        countries.set(country, (countries.get(country) ?? 0) + n);
    }
    const topCountries = [...countries]
      .map(([country, count]) => ({ country, count }))
      .sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1))
      .slice(0, 3);
    return { requests, failures, topCountries };
  }

  /** The hours held with requests, oldest first. */
  *heldHours(): Generator<HourTally> {
    for (let start = this.heldFrom; start <= this.newest; start += HOUR_MS) {
      const tally = this.hour(start);
      if (tally && tally.requests > 0) yield tally;
    }
  }
}

/**
 * The aggregates a backtest keeps in memory instead of Postgres: the same deltas of the same fold,
 * applied to per-key hours (and per-source minutes of unknown keys), bounded by the baselines' memory.
 */
export class MemoryUsage {
  readonly keys = new Map<string, KeyUsage>();
  /** Unknown keys presented per source, per minute start, as keyless_failures. */
  readonly keyless = new Map<string, Map<number, number>>();

  /** `spanHours`: how many hours each key's ring holds (a preview holds its whole range). */
  constructor(private readonly spanHours = DEFAULT_SPAN_HOURS) {}

  key(keyId: string): KeyUsage {
    let usage = this.keys.get(keyId);
    if (!usage) {
      usage = new KeyUsage(this.spanHours);
      this.keys.set(keyId, usage);
    }
    return usage;
  }

  /** Applies a batch's delta; answers the keys and sources it touched. */
  apply(delta: UsageDelta): { keys: Set<string>; sources: Set<string> } {
    const keys = new Set<string>();
    for (const b of delta.buckets) {
      if (b.granularity !== 'hour') continue;
      const usage = this.key(b.keyId);
      const start = b.bucketStart.getTime();
      keys.add(b.keyId);
      // Older than the ring holds: no rule looks that far back (its last use still counts, below).
      const tally = usage.tally(start);
      if (!tally) continue;
      tally.requests += b.total;
      tally.failures += b.failure;
      usage.touched(start);
    }
    for (const c of delta.countries) {
      if (c.granularity === 'hour')
        this.key(c.keyId).hour(c.bucketStart.getTime())?.addCountry(c.label, c.count);
    }
    for (const ip of delta.hourlyIps) this.key(ip.keyId).hour(ip.hourStart.getTime())?.addIp(ip.ip);
    for (const use of delta.lastUse) {
      const usage = this.key(use.keyId);
      usage.lastUsedAt = Math.max(usage.lastUsedAt ?? 0, use.at.getTime());
    }
    const sources = new Set<string>();
    for (const k of delta.keyless) {
      let minutes = this.keyless.get(k.ip);
      if (!minutes) {
        minutes = new Map();
        this.keyless.set(k.ip, minutes);
      }
      const start = k.bucketStart.getTime();
      minutes.set(start, (minutes.get(start) ?? 0) + k.count);
      sources.add(k.ip);
    }
    return { keys, sources };
  }

  /** One source's minutes, as `evaluateCredentialStuffing` reads them. */
  sourceMinutes(ip: string): { start: Date; count: number }[] {
    return [...(this.keyless.get(ip) ?? [])].map(([start, count]) => ({ start: new Date(start), count }));
  }

  /** Forgets the unknown keys' minutes no check can look at any more, as of `now` (keys' rings forget by themselves). */
  prune(now: number) {
    const keylessFrom = now - 2 * HOUR_MS;
    for (const [ip, minutes] of this.keyless) {
      for (const start of minutes.keys()) if (start < keylessFrom) minutes.delete(start);
      if (minutes.size === 0) this.keyless.delete(ip);
    }
  }
}
