import { type AuthEvent, decodeAuthEvent } from '@keywatch/events';
import {
  type AlertDecision,
  type AlertSettings,
  bucketStart,
  DAY_MS,
  decide,
  effectiveSettings,
  evaluateCredentialStuffing,
  factsWanted,
  type KeyFacts,
  MINUTE_MS,
  type Period,
  type RuleName,
  unusualHoursOf,
} from '@keywatch/rules';
import { foldEvents } from '@keywatch/usage-fold';
import { MemoryUsage } from './memory-usage.ts';
import { SeenSequences } from './seen-sequences.ts';

/** A key as the backtest knows it: `--keys`, or the org's stored keys. */
export interface BacktestKey {
  id: string;
  orgId: string;
  createdAt: Date;
  /** The key's own alert settings; they override its org's field by field. */
  alerts?: AlertSettings | null;
  /** From then on the key is not evaluated, as the alerter skips a revoked key. */
  revokedAt?: Date | null;
}

export interface BacktestOptions {
  keys?: Iterable<BacktestKey>;
  /**
   * Each org's alert settings, which its keys fall back on. An org missing here (a file of events
   * says nothing of orgs) takes `defaultSettings`.
   */
  orgSettings?: ReadonlyMap<string, AlertSettings>;
  /** The settings of an org missing from `orgSettings` (default `{ "unusualActivity": true }`). */
  defaultSettings?: AlertSettings;
  /** Only alerts firing in [from, to) are answered; earlier history builds the baselines. */
  from?: Date;
  to?: Date;
  /** The hours each key's memory holds (default: the baselines' weeks and two days). */
  spanHours?: number;
}

/** An alert as `GET /api/alerts` shows it (without deliveries), and when it would have fired. */
export interface BacktestAlert {
  id: string;
  keyId: string | null;
  rule: RuleName;
  subject: string;
  severity: AlertDecision['severity'];
  state: 'firing';
  window: { period: Period; start: string; end: string };
  value: number;
  threshold: number;
  details: Record<string, unknown>;
  createdAt: string;
  resolvedAt: null;
  firedAt: string;
}

export interface BacktestSummary {
  events: number;
  /** Lines that were not AuthEvents: counted, skipped, never fatal. */
  malformed: number;
  keys: number;
  alerts: number;
  byRule: Record<string, number>;
  seconds: number;
  eventsPerSec: number;
  /** Events per second of this process's CPU time: what a busy machine's contention moves least. */
  eventsPerCpuSec: number;
}

const HOURS_ONLY = { granularities: ['hour'], perOrg: false } as const;

/** Settings for an org the backtest knows nothing of: a new key's default (the contract's). */
const DEFAULT_SETTINGS: AlertSettings = { unusualActivity: true };

/**
 * The live pipeline in memory and event time: the aggregator's fold (after dropping what a producer
 * sent again) into `MemoryUsage`, then, as the events' clock passes each minute, the alerter's `decide` for every key
 * and source that minute touched. An alert is recorded once per (key, rule, subject, window), as the
 * alerts table's unique index does. Memory is bounded by the keys and the baselines' memory, not by
 * the input's length.
 */
export class Backtest {
  readonly usage: MemoryUsage;
  private readonly keys = new Map<string, BacktestKey>();
  private readonly orgSettings: ReadonlyMap<string, AlertSettings>;
  private readonly defaultSettings: AlertSettings;
  private readonly from: number;
  private readonly to: number;
  /** Recorded alerts by identity, with their window's end (forgotten once no evaluation can see it). */
  private readonly recorded = new Map<string, number>();
  private readonly replays = new SeenSequences();
  private pending: AuthEvent[] = [];
  private pendingMinute = Number.NEGATIVE_INFINITY;
  /** The latest event time pending: the clock when they are decided. */
  private pendingLatest = Number.NEGATIVE_INFINITY;
  private prunedHour = Number.NEGATIVE_INFINITY;
  private readonly started = process.hrtime.bigint();
  private readonly startedCpu = process.cpuUsage();
  private readonly seenKeys = new Set<string>();
  private readonly counts = { events: 0, malformed: 0, alerts: 0, byRule: {} as Record<string, number> };

  constructor(options: BacktestOptions = {}) {
    for (const key of options.keys ?? []) this.keys.set(key.id, key);
    this.orgSettings = options.orgSettings ?? new Map();
    this.defaultSettings = options.defaultSettings ?? DEFAULT_SETTINGS;
    this.from = options.from?.getTime() ?? Number.NEGATIVE_INFINITY;
    this.to = options.to?.getTime() ?? Number.POSITIVE_INFINITY;
    this.usage = new MemoryUsage(options.spanHours);
  }

  /** One line of the topic's JSON; a line that is not an AuthEvent is counted and skipped. */
  pushLine(line: string | Buffer): BacktestAlert[] {
    const decoded = decodeAuthEvent(line);
    if (!decoded.ok) {
      this.counts.malformed++;
      return [];
    }
    return this.push(decoded.event);
  }

  /** One event; answers the alerts that fired as its time passed the minute before it. */
  push(event: AuthEvent): BacktestAlert[] {
    const ms = Date.parse(event.ts);
    if (ms >= this.to) return [];
    this.counts.events++;
    if (event.keyId) this.seenKeys.add(event.keyId);
    const minute = ms - (ms % MINUTE_MS);
    let fired: BacktestAlert[] = [];
    if (minute > this.pendingMinute && this.pending.length > 0) fired = this.flush();
    if (minute > this.pendingMinute) this.pendingMinute = minute;
    if (ms > this.pendingLatest) this.pendingLatest = ms;
    this.pending.push(event);
    return fired;
  }

  /** Evaluates what the last minute's events touched: call once the input has ended. */
  end(): BacktestAlert[] {
    return this.flush();
  }

  malformed(count = 1) {
    this.counts.malformed += count;
  }

  summary(): BacktestSummary {
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const cpu = process.cpuUsage(this.startedCpu);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      ...this.counts,
      keys: this.seenKeys.size,
      seconds: Math.round(seconds * 1000) / 1000,
      eventsPerSec: Math.round(this.counts.events / Math.max(seconds, 1e-9)),
      eventsPerCpuSec: Math.round(this.counts.events / Math.max(cpuSeconds, 1e-9)),
    };
  }

  private flush(): BacktestAlert[] {
    if (this.pending.length === 0) return [];
    const batch = this.pending;
    this.pending = [];
    const fresh = batch.filter((event) => !this.replays.repeated(event));
    for (const event of fresh) {
      if (event.keyId && !this.keys.has(event.keyId) && event.orgId)
        this.keys.set(event.keyId, { id: event.keyId, orgId: event.orgId, createdAt: new Date(event.ts) });
    }
    // The fold's hours are all memory holds (minutes and days, and org sums, are Postgres's views).
    const touched = this.usage.apply(foldEvents(fresh, HOURS_ONLY));
    const now = this.pendingLatest;
    const at = new Date(now);
    const fired: BacktestAlert[] = [];
    for (const keyId of touched.keys) fired.push(...this.evaluateKey(keyId, at));
    for (const ip of touched.sources) fired.push(...this.evaluateSource(ip, at));
    this.prune(now);
    return fired;
  }

  /** One key's rules at `now`, as the alerter's evaluate: facts from memory, then `decide`. */
  evaluateKey(keyId: string, now: Date): BacktestAlert[] {
    const key = this.keys.get(keyId);
    const usage = this.usage.keys.get(keyId);
    if (!key || !usage || (key.revokedAt && key.revokedAt <= now)) return [];
    const settings = effectiveSettings(this.orgSettings.get(key.orgId) ?? this.defaultSettings, key.alerts);
    const wanted = factsWanted(settings, now, usage.lastUsedAt === null ? null : new Date(usage.lastUsedAt));
    const facts: KeyFacts = {
      settings,
      counts: wanted.windows.map((window) => ({ window, ...usage.window(window, now) })),
      unusual:
        wanted.hours.length === 0
          ? null
          : unusualHoursOf(usage, wanted.hours, (start) => usage.baseline(start)),
      keyCreatedAt: key.createdAt,
      firing: [],
    };
    return this.record(keyId, decide(facts, now).fire, now);
  }

  /** One source's credential-stuffing check at `now`, as the alerter's evaluateSource. */
  evaluateSource(ip: string, now: Date): BacktestAlert[] {
    const decision = evaluateCredentialStuffing({ ip, minutes: this.usage.sourceMinutes(ip) }, now);
    return decision ? this.record(null, [decision], now) : [];
  }

  private record(keyId: string | null, decisions: AlertDecision[], now: Date): BacktestAlert[] {
    const fired: BacktestAlert[] = [];
    for (const d of decisions) {
      const identity = `${keyId}|${d.rule}|${d.subject}|${d.window.period}|${d.window.start.getTime()}`;
      if (this.recorded.has(identity)) continue;
      this.recorded.set(identity, d.window.end.getTime());
      if (now.getTime() < this.from) continue;
      this.counts.alerts++;
      this.counts.byRule[d.rule] = (this.counts.byRule[d.rule] ?? 0) + 1;
      fired.push({
        id: crypto.randomUUID(),
        keyId,
        rule: d.rule,
        subject: d.subject,
        severity: d.severity,
        state: 'firing',
        window: {
          period: d.window.period,
          start: d.window.start.toISOString(),
          end: d.window.end.toISOString(),
        },
        value: d.value,
        threshold: d.threshold,
        details: d.details,
        createdAt: now.toISOString(),
        resolvedAt: null,
        firedAt: now.toISOString(),
      });
    }
    return fired;
  }

  /** Once per hour of event time: forget hours, minutes and recorded alerts no rule can see again. */
  private prune(now: number) {
    const hour = bucketStart('hour', new Date(now)).getTime();
    if (hour <= this.prunedHour) return;
    this.prunedHour = hour;
    this.usage.prune(now);
    // Evaluations look back at most to the window of a key's last use: a few days is plenty for
    // windows still firing, and anything older can no longer be decided again.
    for (const [identity, end] of this.recorded) if (end < now - 2 * DAY_MS) this.recorded.delete(identity);
  }
}
