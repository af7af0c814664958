import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@keywatch/config';
import { repoRoot } from '@keywatch/infra';
import { Redis } from 'ioredis';
import postgres from 'postgres';

export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1500,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export async function postgresAnswers(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/**
 * Uses the Redis at REDIS_URL; when nothing answers on a local address and redis-server is
 * installed, starts one (data-less, in .data/redis). Returns the process when it started one.
 */
export async function ensureRedis(config: Config, detached: boolean): Promise<ChildProcess | null> {
  if (await redisAnswers(config.REDIS_URL)) return null;
  const url = new URL(config.REDIS_URL);
  const available = spawnSync('redis-server', ['--version']).status === 0;
  if (!isLocal(config.REDIS_URL) || !available) {
    throw new Error(
      `Redis at ${url.host} does not answer${available ? '' : ' and redis-server is not installed'}; start it or set REDIS_URL`,
    );
  }
  const dir = join(repoRoot, '.data', 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', url.port || '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore', detached },
  );
  if (detached) child.unref();
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(config.REDIS_URL))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('redis-server did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

export async function requirePostgres(config: Config): Promise<void> {
  if (await postgresAnswers(config.DATABASE_URL)) return;
  const { host } = new URL(config.DATABASE_URL);
  throw new Error(
    `Postgres at ${host} does not answer; start it (on Debian: pg_ctlcluster <version> main start) or set DATABASE_URL`,
  );
}
