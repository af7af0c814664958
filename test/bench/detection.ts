// Detection quality: synthetic populations (population.ts) replayed through the backtest, scored
// against the incidents injected into them. No infrastructure: the fold and the rules run in memory.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Backtest, type BacktestAlert } from '@keywatch/backtest';
import type { AuthEvent } from '@keywatch/events';
import { DAY_MS, HOUR_MS } from '@keywatch/rules';
import { createPopulation, HABITS, type Incident, INCIDENT_KINDS, type IncidentKind } from './population.ts';

/** What unusualActivity should achieve on these populations. */
const GOAL = { recall: 0.95, falsePer1000KeyDays: 5 } as const;
/** The signal each incident should raise (`details.signal` of its alert). */
const SIGNAL_OF: Record<IncidentKind, string> = {
  leakedNewCountry: 'newCountry',
  volumeSpike: 'volumeSpike',
  dormantReuse: 'dormantReuse',
  ipFanOut: 'ipFanOut',
  credentialStuffing: 'credentialStuffing',
};
/** An alert's window overlaps its incident and may end up to this long after it (hourly windows). */
const GRACE_MS = HOUR_MS;
/**
 * The first week only builds baselines: the keys are long past their learning period, but the
 * backtest knows nothing of their traffic before the window, so alerts there would be artefacts.
 */
const WARM_UP_DAYS = 7;
/** Events are pulled from the generator in chunks, so generating and replaying are timed apart. */
const CHUNK = 10_000;

/** `DETECTION_SEEDS=5` runs seeds 1–5; `DETECTION_SEEDS=7,42` runs those. */
function seedsOf(setting: string | undefined): number[] {
  if (!setting) return [1, 2, 3];
  const listed = setting.split(',').map(Number);
  if (listed.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`DETECTION_SEEDS: not seeds: ${setting}`);
  return listed.length === 1 ? Array.from({ length: listed[0]! }, (_, i) => i + 1) : listed;
}

/** What the rules saw in an incident's hour, for telling why it was missed. */
interface HourSeen {
  hour: string;
  seen: { requests: number; distinctIps: number; countries: number };
  usual: { requests: number; distinctIps: number; countries: number; newCountriesLately: number };
}

interface ScoredIncident extends Incident {
  habits: string[];
  detected: boolean;
  hours: HourSeen[];
}

/** One shard of one seed's population: every `shards`-th key, and the unknown keys in shard 0. */
interface Job {
  seed: number;
  shard: number;
  shards: number;
}

interface ShardRun {
  seed: number;
  events: number;
  keyDays: number;
  incidents: ScoredIncident[];
  /** unusualActivity alerts no incident explains, with the habits of their key (none for a source IP). */
  falseAlerts: { alert: BacktestAlert; habits: string[] }[];
  /** Alerts of another signal on an incident's key during it (a fan-out is also a volume spike). */
  incidental: number;
  keysByHabit: Record<string, number>;
  scoredDays: number;
  seconds: { replay: number; cpu: number; generate: number; backtest: number };
}

const overlaps = (alert: BacktestAlert, incident: Incident) => {
  const start = Date.parse(alert.window.start);
  const end = Date.parse(alert.window.end);
  return (
    start < incident.end.getTime() &&
    end > incident.start.getTime() &&
    end <= incident.end.getTime() + GRACE_MS
  );
};

const concerns = (alert: BacktestAlert, incident: Incident) =>
  incident.sourceIp !== null
    ? alert.subject === `credentialStuffing:${incident.sourceIp}`
    : alert.keyId === incident.keyId;

/** One shard of a population through the backtest, every alert classed as a detection, incidental or false. */
function runShard({ seed, shard, shards }: Job): ShardRun {
  const population = createPopulation({ seed });
  const keys = population.keys.filter((_, i) => i % shards === shard);
  const incidents = population.incidents.filter((i) =>
    i.keyId === null ? shard === 0 : keys.some((k) => k.id === i.keyId),
  );
  const habitsOf = new Map(keys.map((k) => [k.id, k.habits as string[]]));
  const from = population.start.getTime() + WARM_UP_DAYS * DAY_MS;
  const backtest = new Backtest({ keys, from: new Date(from) });
  const alerts: BacktestAlert[] = [];
  const cpu = process.cpuUsage();
  const seconds = { generate: 0, backtest: 0 };
  const events = population.events({ shard, shards });
  for (let done = false; !done; ) {
    let started = performance.now();
    const chunk: AuthEvent[] = [];
    for (let next = events.next(); ; next = events.next()) {
      if (next.done) {
        done = true;
        break;
      }
      chunk.push(next.value);
      if (chunk.length === CHUNK) break;
    }
    seconds.generate += (performance.now() - started) / 1000;
    started = performance.now();
    for (const event of chunk) for (const alert of backtest.push(event)) alerts.push(alert);
    seconds.backtest += (performance.now() - started) / 1000;
  }
  for (const alert of backtest.end()) alerts.push(alert);
  const used = process.cpuUsage(cpu);
  const summary = backtest.summary();

  const detected = new Set<Incident>();
  const falseAlerts: ShardRun['falseAlerts'] = [];
  let incidental = 0;
  for (const alert of alerts) {
    if (alert.rule !== 'unusualActivity') continue;
    const during = incidents.filter((i) => concerns(alert, i) && overlaps(alert, i));
    const explained = during.filter((i) => SIGNAL_OF[i.kind] === alert.details.signal);
    for (const incident of explained) detected.add(incident);
    if (explained.length === 0 && during.length > 0) incidental++;
    if (during.length === 0)
      falseAlerts.push({ alert, habits: alert.keyId ? (habitsOf.get(alert.keyId) ?? []) : [] });
  }

  const keysByHabit: Record<string, number> = {};
  for (const key of keys) for (const habit of key.habits) keysByHabit[habit] = (keysByHabit[habit] ?? 0) + 1;
  const scoredDays = population.days - WARM_UP_DAYS;
  return {
    seed,
    events: summary.events,
    keyDays: keys.length * scoredDays,
    incidents: incidents.map((incident) => ({
      ...incident,
      habits: incident.keyId ? (habitsOf.get(incident.keyId) ?? []) : [],
      detected: detected.has(incident),
      // The backtest still holds the last week's hours (its baselines remember four).
      hours: incident.keyId ? lookAt(backtest, incident) : [],
    })),
    falseAlerts,
    incidental,
    keysByHabit,
    scoredDays,
    seconds: {
      replay: summary.seconds,
      cpu: (used.user + used.system) / 1e6,
      generate: seconds.generate,
      backtest: seconds.backtest,
    },
  };
}

/** Each hour of a keyed incident as the signals saw it: what came, against the key's baseline. */
function lookAt(backtest: Backtest, incident: Incident): HourSeen[] {
  const usage = backtest.usage.keys.get(incident.keyId!);
  const looks: HourSeen[] = [];
  const first = Math.floor(incident.start.getTime() / HOUR_MS) * HOUR_MS;
  for (let hour = first; hour < incident.end.getTime(); hour += HOUR_MS) {
    const seen = usage?.hour(hour);
    const usual = usage?.baseline(hour);
    looks.push({
      hour: new Date(hour).toISOString(),
      seen: {
        requests: seen?.requests ?? 0,
        distinctIps: seen?.distinctIps ?? 0,
        countries: seen?.countries.length ?? 0,
      },
      usual: {
        requests: round(usual?.usualRequests ?? 0, 1),
        distinctIps: usual?.usualIps ?? 0,
        countries: usual?.countries.length ?? 0,
        newCountriesLately: usual?.newCountriesLately ?? 0,
      },
    });
  }
  return looks;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** A seed's shards as one run. */
function mergeShards(shards: ShardRun[]): ShardRun {
  const [first, ...rest] = shards;
  const merged = structuredClone(first!);
  for (const run of rest) {
    merged.events += run.events;
    merged.keyDays += run.keyDays;
    merged.incidents.push(...run.incidents);
    merged.falseAlerts.push(...run.falseAlerts);
    merged.incidental += run.incidental;
    for (const [habit, keys] of Object.entries(run.keysByHabit))
      merged.keysByHabit[habit] = (merged.keysByHabit[habit] ?? 0) + keys;
    for (const part of ['replay', 'cpu', 'generate', 'backtest'] as const)
      merged.seconds[part] += run.seconds[part];
  }
  return merged;
}

/** The figures of one seed: recall, and false alerts per 1,000 key-days. */
function figuresOf(run: ShardRun) {
  const detected = run.incidents.filter((i) => i.detected).length;
  return {
    recall: round(detected / run.incidents.length),
    falsePer1000KeyDays: round((run.falseAlerts.length / run.keyDays) * 1000, 2),
  };
}

/** Runs a shard in a child process (this module, forked), so shards use every core. */
function runForked(job: Job): Promise<ShardRun> {
  return new Promise((resolve, reject) => {
    // Advanced serialisation: the incidents' dates arrive as dates.
    const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(job)], { serialization: 'advanced' });
    let run: ShardRun | undefined;
    child.once('message', (message) => {
      run = message as ShardRun;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      run
        ? resolve(run)
        : reject(new Error(`detection: seed ${job.seed} shard ${job.shard} exited with ${code}`)),
    );
  });
}

/**
 * `npm run bench -- detection`: recall by incident kind and false alerts per 1,000 key-days over
 * several seeds (`DETECTION_SEEDS`), the worst and the mean, with where the false alerts come from.
 * Each seed is split into one shard per core; the figures do not depend on the split.
 */
export async function benchDetection(log: (line: string) => void) {
  const started = performance.now();
  const shards = availableParallelism();
  const jobs = seedsOf(process.env.DETECTION_SEEDS).flatMap((seed) =>
    Array.from({ length: shards }, (_, shard) => ({ seed, shard, shards })),
  );
  log(`detection: ${jobs.length / shards} seeds in ${shards} shards each`);
  const done: ShardRun[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      done.push(await runForked(job));
      log(`detection: seed ${job.seed} shard ${job.shard + 1}/${shards} done`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(shards, jobs.length) }, worker));
  const runs = [...new Set(jobs.map((j) => j.seed))].map((seed) =>
    mergeShards(done.filter((r) => r.seed === seed)),
  );

  const byKind: Record<string, { incidents: number; detected: number; recall: number }> = {};
  for (const kind of INCIDENT_KINDS) {
    const of = runs.flatMap((r) => r.incidents.filter((i) => i.kind === kind));
    const detected = of.filter((i) => i.detected).length;
    byKind[kind] = { incidents: of.length, detected, recall: round(detected / Math.max(of.length, 1)) };
  }
  const falseBySignal: Record<string, number> = {};
  const falseAlerts = runs.flatMap((r) => r.falseAlerts);
  for (const { alert } of falseAlerts) {
    const signal = String(alert.details.signal);
    falseBySignal[signal] = (falseBySignal[signal] ?? 0) + 1;
  }
  // A key has one or two habits, and its false alerts count for each: the rate is per key-day of the habit.
  const falseByHabit: Record<string, { keys: number; falseAlerts: number; per1000KeyDays: number }> = {};
  for (const habit of HABITS) {
    const keys = runs.reduce((sum, r) => sum + (r.keysByHabit[habit] ?? 0), 0);
    const keyDays = runs.reduce((sum, r) => sum + (r.keysByHabit[habit] ?? 0) * r.scoredDays, 0);
    const count = falseAlerts.filter((f) => f.habits.includes(habit)).length;
    falseByHabit[habit] = {
      keys,
      falseAlerts: count,
      per1000KeyDays: round((count / Math.max(keyDays, 1)) * 1000, 2),
    };
  }
  const seeds = runs.map((run) => ({
    seed: run.seed,
    ...figuresOf(run),
    events: run.events,
    keyDays: run.keyDays,
    falseAlerts: run.falseAlerts.length,
    incidental: run.incidental,
    // Per process: the backtest's own clock (generating included), and CPU time.
    eventsPerSec: Math.round(run.events / run.seconds.replay),
    eventsPerCpuSec: Math.round(run.events / run.seconds.cpu),
    seconds: { generate: round(run.seconds.generate, 1), backtest: round(run.seconds.backtest, 1) },
    missed: run.incidents
      .filter((i) => !i.detected)
      .map((i) => ({ kind: i.kind, habits: i.habits, start: i.start.toISOString(), hours: i.hours })),
    // What each false alert compared: the key's habits, its usual and what the hour held.
    false: run.falseAlerts.map(({ alert, habits }) => ({
      subject: alert.subject,
      habits,
      hour: alert.window.start,
      usual: alert.details.usual,
      seen: alert.details.seen,
    })),
  }));
  const recalls = seeds.map((s) => s.recall);
  const falseRates = seeds.map((s) => s.falsePer1000KeyDays);
  return {
    goal: GOAL,
    recall: { worst: Math.min(...recalls), mean: round(mean(recalls)) },
    falsePer1000KeyDays: { worst: Math.max(...falseRates), mean: round(mean(falseRates), 2) },
    byKind,
    falseBySignal,
    falseByHabit,
    eventsPerSec: Math.round(mean(seeds.map((s) => s.eventsPerSec))),
    eventsPerCpuSec: Math.round(mean(seeds.map((s) => s.eventsPerCpuSec))),
    events: seeds.reduce((sum, s) => sum + s.events, 0),
    warmUpDays: WARM_UP_DAYS,
    wallSeconds: round((performance.now() - started) / 1000, 1),
    seeds,
  };
}

// Forked by `runForked`: run the shard named in argv and answer it to the parent.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = runShard(JSON.parse(process.argv[2]!) as Job);
  process.send(run, () => process.disconnect());
}
