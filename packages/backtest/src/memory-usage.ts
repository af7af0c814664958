import {
  BASELINE_DAYS,
  type Baseline,
  bucketStart,
  DAY_MS,
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

/** One key's hours within the baselines' memory, its last use, and its baselines for the current hours. */
export class KeyUsage implements KeyHistory {
  readonly hours = new Map<number, HourTally>();
  usedUntilBefore: number | null = null;
  lastUsedAt: number | null = null;
  /** Baselines learned this hour and the one before: they depend only on earlier hours. */
  private baselines = new Map<number, Baseline>();

  hour(start: number): HourTally {
    let tally = this.hours.get(start);
    if (!tally) {
      tally = new HourTally();
      this.hours.set(start, tally);
    }
    return tally;
  }

  /** A late event changed an earlier hour: the baselines of later hours are learned again. */
  touched(start: number) {
    for (const at of this.baselines.keys()) if (at > start) this.baselines.delete(at);
  }

  baseline(start: number): Baseline {
    let baseline = this.baselines.get(start);
    if (!baseline) {
      baseline = learnBaseline(this, start);
      for (const at of this.baselines.keys()) if (at < start - HOUR_MS) this.baselines.delete(at);
      this.baselines.set(start, baseline);
    }
    return baseline;
  }

  /** Requests and failures in a window up to `now`'s hour, and where most came from. */
  window(window: UsageWindow, now: Date): { requests: number; failures: number; topCountries: TopCountry[] } {
    const until = Math.min(window.end.getTime(), bucketStart('hour', now).getTime() + HOUR_MS);
    let requests = 0;
    let failures = 0;
    const countries = new Map<string, number>();
    for (let at = window.start.getTime(); at < until; at += HOUR_MS) {
      const tally = this.hours.get(at);
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

  /** Forgets hours older than any baseline remembers (and than the longest threshold window). */
  prune(now: number) {
    const keepFrom = bucketStart('day', new Date(now)).getTime() - (BASELINE_DAYS + 1) * DAY_MS;
    for (const [start, tally] of this.hours) {
      if (start < keepFrom) {
        if (tally.requests > 0) this.usedUntilBefore = Math.max(this.usedUntilBefore ?? 0, start + HOUR_MS);
        this.hours.delete(start);
      } else if (start < now - OPEN_IP_HOURS * HOUR_MS) tally.close();
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

  key(keyId: string): KeyUsage {
    let usage = this.keys.get(keyId);
    if (!usage) {
      usage = new KeyUsage();
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
      const tally = usage.hour(start);
      tally.requests += b.total;
      tally.failures += b.failure;
      usage.touched(start);
      keys.add(b.keyId);
    }
    for (const c of delta.countries) {
      if (c.granularity === 'hour')
        this.key(c.keyId).hour(c.bucketStart.getTime()).addCountry(c.label, c.count);
    }
    for (const ip of delta.hourlyIps) this.key(ip.keyId).hour(ip.hourStart.getTime()).addIp(ip.ip);
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

  /** Forgets what no rule can look at any more, as of `now`. */
  prune(now: number) {
    for (const usage of this.keys.values()) usage.prune(now);
    const keylessFrom = now - 2 * HOUR_MS;
    for (const [ip, minutes] of this.keyless) {
      for (const start of minutes.keys()) if (start < keylessFrom) minutes.delete(start);
      if (minutes.size === 0) this.keyless.delete(ip);
    }
  }
}
