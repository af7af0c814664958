/** What every service runs beside its own work: metrics, `/healthz` and `/metrics`, shutdown on signals. */
import { createServer, type Server } from 'node:http';
import type { Logger } from '@keywatch/log';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { threadCpuSeconds } from './threads.ts';

export type HealthCheck = () => Promise<boolean> | boolean;

/** Each service's Prometheus registry, with Node's process metrics. */
export function createMetrics(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `keywatch_thread_cpu_seconds{thread}`: the CPU each named thread has used, so an operator can
 * see which one saturates first (a Node process's total hides that its event loop is one core).
 * `threads` gives each name's thread id when it is known; Linux only, absent elsewhere.
 */
export function registerThreadCpu(metrics: Registry, threads: Record<string, () => number | null>): void {
  new Gauge({
    name: 'keywatch_thread_cpu_seconds',
    help: 'CPU seconds (user and system) used by each of the process’s own threads since it started',
    labelNames: ['thread'],
    registers: [metrics],
    collect() {
      for (const [thread, tidOf] of Object.entries(threads)) {
        const tid = tidOf();
        const seconds = tid === null ? null : threadCpuSeconds(tid);
        if (seconds !== null) this.set({ thread }, seconds);
      }
    },
  });
}

/**
 * The small HTTP server of a service that has no API of its own: `GET /healthz` (200 when every
 * check passes, else 503 naming the failing ones) and `GET /metrics`.
 */
export async function startOpsServer(options: {
  port: number;
  metrics: Registry;
  checks: Record<string, HealthCheck>;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const result = await runChecks(options.checks);
      res.writeHead(result.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(await options.metrics.metrics());
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found' }, status: 404 }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', resolve);
  });
  return server;
}

export async function runChecks(checks: Record<string, HealthCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, (await check()) ? 'ok' : 'failing'] as const;
      } catch {
        return [name, 'failing'] as const;
      }
    }),
  );
  return { ok: entries.every(([, s]) => s === 'ok'), checks: Object.fromEntries(entries) };
}

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits; a second signal or a stop that hangs
 * past the deadline exits at once.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, deadlineMs = 20_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Logs a fatal start-up error (a bad env var names itself) and exits non-zero. */
export function exitOnStartupError(log: Logger | undefined, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (log) log.fatal({ err }, `cannot start: ${message}`);
  else console.error(`cannot start: ${message}`);
  process.exit(1);
}
