import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, ensureOrg } from '@keywatch/db';
import { createKafka, TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { repoRoot, startService, waitFor } from '@keywatch/testkit';
import { CONNECTIONS, load } from './load.ts';

const SECONDS = 8;

/**
 * `/v1/auth` with a valid key (events going to Kafka) against a bare node:http server, with the
 * same load generator in the same run. Then the latency at 80 % of the verifier's peak rate, and
 * whether Kafka holds exactly one event per request made.
 */
export async function benchVerifier(env: Record<string, string>, log: (line: string) => void) {
  const database = connect(env.DATABASE_URL!, { max: 1 });
  const org = await ensureOrg(database.db, 'bench');
  // A limit that the benchmark never reaches: this measures verification, not 429s.
  const spec = newKeySchema.parse({
    name: 'bench',
    scopes: ['chat'],
    rateLimit: { limit: 1_000_000_000, period: 'second' },
  });
  const { secret } = await issueKey(database.db, org.id, spec);
  await database.close();

  // The topic may hold other benchmarks' events: count only what this one adds.
  const before = await eventsInTopic(env.KAFKA_BROKERS!.split(','));
  const baselinePort = await freePort();
  const baseline = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test', 'bench', 'baseline-server.ts')],
    {
      env: { ...process.env, PORT: String(baselinePort) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve) => baseline.stdout.once('data', resolve));
  log('baseline: bare node:http');
  await load(`http://127.0.0.1:${baselinePort}/`, {}, 2); // warm-up
  const bare = await load(`http://127.0.0.1:${baselinePort}/`, {}, SECONDS);
  baseline.kill('SIGTERM');

  const port = await freePort();
  const verifier = await startService('verifier', { ...env, VERIFIER_PORT: String(port) }, port);
  const url = `http://127.0.0.1:${port}/v1/auth?scope=chat`;
  const headers = { authorization: `Bearer ${secret}` };
  log('verifier: /v1/auth, cached key, events to Kafka');
  const warm = await load(url, headers, 2);
  const peak = await load(url, headers, SECONDS);
  log(`verifier: latency at 80 % of ${peak.rps} rps`);
  const steady = await load(url, headers, SECONDS, Math.round(peak.rps * 0.8));
  const responses = warm.responses + peak.responses + steady.responses;
  const non2xx = warm.non2xx + peak.non2xx + steady.non2xx;
  // The verifier's own count: the client's misses requests still in flight when each run ends.
  const verifications = async () =>
    counter(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'keywatch_verifications_total');
  let previous = -1;
  const requests = await waitFor(
    'the last in-flight requests to be verified',
    async () => {
      const now = await verifications();
      const settled = now === previous && now;
      previous = now;
      return settled;
    },
    { intervalMs: 250 },
  );
  if (requests < responses || requests > responses + 3 * CONNECTIONS) {
    throw new Error(`verifier counted ${requests} verifications for ${responses} responses`);
  }
  await verifier.stop(); // flushes the producer

  const events = (await eventsInTopic(env.KAFKA_BROKERS!.split(','))) - before;
  return {
    rps: peak.rps,
    baselineRps: bare.rps,
    ratio: Number((peak.rps / bare.rps).toFixed(3)),
    p50Ms: steady.p50Ms,
    p99Ms: steady.p99Ms,
    requests,
    non2xx,
    // Verifications whose AuthEvent is not in Kafka.
    eventsLost: requests - events,
  };
}

/** Sum of a Prometheus counter's samples over all its labels. */
function counter(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((n, line) => n + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Messages in auth-events (this run's broker holds only the benchmark's). */
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
