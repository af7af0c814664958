import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, ensureOrg } from '@keywatch/db';
import { createKafka, TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { cpuSecondsOf } from '@keywatch/runtime';
import { buildForTest, repoRoot, startService, waitFor } from '@keywatch/testkit';
import { type LoadResult, load } from './load.ts';

/** The offered rates at which CPU and latency are compared, requests per second. */
const RATES = [2000, 5000];
const SECONDS = 10;
const PEAK_SECONDS = 8;

/** One server's figures at one offered rate. */
interface AtRate {
  rate: number;
  cpuUsPerRequest: number;
  /** Of which in the kernel (socket reads and writes, mostly). */
  systemUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  byThread?: Record<string, number>;
}

/**
 * What a verification costs, measured so that a shared, noisy box moves it little: the CPU time
 * the verifier's threads spend per verification (`/proc`), beside the CPU a bare node:http server
 * spends per request, at the same fixed offered rates from the same generator in the same run.
 * The verifier runs its build, as production does, with a cached key and events going to Kafka.
 * Then, as secondary figures, each one's peak rate; and whether Kafka holds one event per
 * verification.
 */
export async function benchVerifier(env: Record<string, string>, log: (line: string) => void) {
  const database = connect(env.DATABASE_URL!, { max: 1 });
  const org = await ensureOrg(database.db, 'bench');
  // A limit that the benchmark never reaches: this measures verification (and its Redis leases), not 429s.
  const spec = newKeySchema.parse({
    name: 'bench',
    scopes: ['chat'],
    rateLimit: { limit: 1_000_000_000, period: 'second' },
  });
  const { secret } = await issueKey(database.db, org.id, spec);
  await database.close();
  log('verifier: building');
  await buildForTest(['@keywatch/verifier']);

  // The topic may hold other benchmarks' events: count only what this one adds.
  const brokers = env.KAFKA_BROKERS!.split(',');
  const eventsBefore = await eventsInTopic(brokers);
  const bare = await startBare();
  const port = await freePort();
  const verifier = await startService('verifier', { ...env, VERIFIER_PORT: String(port) }, port, {
    built: true,
  });
  const bareUrl = `http://127.0.0.1:${bare.port}/`;
  const url = `http://127.0.0.1:${port}/v1/auth?scope=chat`;
  const headers = { authorization: `Bearer ${secret}` };
  const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const verifications = async () => counter(await metrics(), 'keywatch_verifications_total');
  const verifiedBefore = await verifications();

  try {
    log('verifier: warm-up');
    await load(bareUrl, {}, 2, 1000);
    await load(url, headers, 3, 2000);

    const rates: { rate: number; bare: AtRate; verifier: AtRate }[] = [];
    for (const rate of RATES) {
      log(`bare node:http at ${rate}/s`);
      const bareAt = await measure(bare.process.pid!, rate, async () => {
        const run = await load(bareUrl, {}, SECONDS, rate);
        return { run, requests: run.responses };
      });
      log(`verifier at ${rate}/s`);
      const threadsBefore = threadCpu(await metrics());
      const verifierAt = await measure(verifier.pid, rate, async () => {
        const before = await verifications();
        const run = await load(url, headers, SECONDS, rate);
        return { run, requests: (await settledVerifications(verifications)) - before };
      });
      const threadsAfter = threadCpu(await metrics());
      verifierAt.byThread = perRequest(
        {
          main: threadsAfter.main! - threadsBefore.main!,
          kafka: threadsAfter.kafka! - threadsBefore.kafka!,
        },
        verifierAt,
      );
      rates.push({ rate, bare: bareAt, verifier: verifierAt });
    }

    log('peak rates (secondary: the generator shares the two cores)');
    const barePeak = await load(bareUrl, {}, PEAK_SECONDS);
    const peak = await load(url, headers, PEAK_SECONDS);
    await settledVerifications(verifications);
    const requests = (await verifications()) - verifiedBefore;
    await verifier.stop(); // flushes the producer
    const events = (await eventsInTopic(brokers)) - eventsBefore;

    const at = (rate: number) => rates.find((r) => r.rate === rate)!;
    const first = at(RATES[0]!);
    return {
      // The headline figures at the first rate; every rate's below.
      cpuUsPerVerification: first.verifier.cpuUsPerRequest,
      bareCpuUsPerRequest: first.bare.cpuUsPerRequest,
      cpuRatio: ratio(first.verifier.cpuUsPerRequest, first.bare.cpuUsPerRequest),
      byThread: first.verifier.byThread,
      p50Ms: first.verifier.p50Ms,
      p99Ms: first.verifier.p99Ms,
      bareP50Ms: first.bare.p50Ms,
      bareP99Ms: first.bare.p99Ms,
      rates: Object.fromEntries(
        rates.map((r) => [
          r.rate,
          {
            cpuUsPerVerification: r.verifier.cpuUsPerRequest,
            bareCpuUsPerRequest: r.bare.cpuUsPerRequest,
            systemUsPerVerification: r.verifier.systemUsPerRequest,
            bareSystemUsPerRequest: r.bare.systemUsPerRequest,
            cpuRatio: ratio(r.verifier.cpuUsPerRequest, r.bare.cpuUsPerRequest),
            byThread: r.verifier.byThread,
            p50Ms: r.verifier.p50Ms,
            p99Ms: r.verifier.p99Ms,
            bareP50Ms: r.bare.p50Ms,
            bareP99Ms: r.bare.p99Ms,
            verifications: r.verifier.requests,
          },
        ]),
      ),
      rps: peak.rps,
      baselineRps: barePeak.rps,
      ratio: ratio(peak.rps, barePeak.rps),
      requests,
      non2xx: peak.non2xx,
      // Verifications whose AuthEvent is not in Kafka.
      eventsLost: requests - events,
    };
  } finally {
    await verifier.stop();
    bare.process.kill('SIGTERM');
  }
}

/** The CPU a process spends (all its threads, `/proc/<pid>/stat`) while `run` offers load at `rate`. */
async function measure(
  pid: number,
  rate: number,
  run: () => Promise<{ run: LoadResult; requests: number }>,
): Promise<AtRate> {
  const before = processCpu(pid);
  const result = await run();
  const after = processCpu(pid);
  const used = perRequest(
    { total: after.user + after.system - before.user - before.system, system: after.system - before.system },
    result,
  );
  return {
    rate,
    cpuUsPerRequest: used.total!,
    systemUsPerRequest: used.system!,
    p50Ms: result.run.p50Ms,
    p99Ms: result.run.p99Ms,
    requests: result.requests,
  };
}

/** Seconds of CPU → µs per request, one decimal. */
function perRequest(seconds: Record<string, number>, { requests }: { requests: number }) {
  return Object.fromEntries(
    Object.entries(seconds).map(([name, s]) => [name, Math.round((s * 1e7) / requests) / 10]),
  );
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

/** User and system CPU seconds of every thread a process has had. */
function processCpu(pid: number): { user: number; system: number } {
  const cpu = cpuSecondsOf(`/proc/${pid}/stat`);
  if (!cpu) throw new Error(`process ${pid} is gone`);
  return cpu;
}

/** The verifier's own count once it stops moving: requests in flight when a run ends finish first. */
async function settledVerifications(verifications: () => Promise<number>): Promise<number> {
  let previous = -1;
  return waitFor(
    'the last in-flight requests to be verified',
    async () => {
      const now = await verifications();
      const settled = now === previous && now;
      previous = now;
      return settled;
    },
    { intervalMs: 250 },
  );
}

/** `keywatch_thread_cpu_seconds` by thread name. */
function threadCpu(text: string): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const match of text.matchAll(/^keywatch_thread_cpu_seconds\{[^}]*thread="(\w+)"[^}]*\} (\S+)$/gm)) {
    seconds[match[1]!] = Number(match[2]);
  }
  if (seconds.main === undefined || seconds.kafka === undefined) {
    throw new Error('the verifier reports no keywatch_thread_cpu_seconds for main and kafka');
  }
  return seconds;
}

/** The baseline: a bare node:http server in its own process, like the verifier. */
async function startBare(): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'test', 'bench', 'baseline-server.mjs')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return { process: child, port };
}

/** Sum of a Prometheus counter's samples over all its labels. */
function counter(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((n, line) => n + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Messages in auth-events (this run's broker holds only the benchmarks'). */
async function eventsInTopic(brokers: string[]): Promise<number> {
  const admin = createKafka({ brokers, clientId: 'bench' }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(TOPICS.authEvents);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
