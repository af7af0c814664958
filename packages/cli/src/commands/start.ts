import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadConfig } from '@keywatch/config';
import { apiKeys, connect, ensureOrg, migrate } from '@keywatch/db';
import { createKafka, ensureTopics } from '@keywatch/events';
import {
  ensureLocalKafka,
  repoRoot,
  SERVICES,
  type ServiceName,
  serviceArgs,
  serviceMain,
} from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { ensureRedis, requirePostgres } from '../local-services.ts';

const say = (line: string) => console.error(`keywatch: ${line}`);

/**
 * How a service runs: built (dist/main.js, plain node) when this command itself runs built, as
 * under `npm start`, which builds first; from its TypeScript sources through tsx when this command
 * runs from its own (`npx keywatch start` in a checkout), for development.
 */
function serviceCommand(name: ServiceName, built = !import.meta.url.endsWith('.ts')): string[] {
  if (!built) return serviceArgs(name, { built });
  const main = serviceMain(name, { built });
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
  return ['--enable-source-maps', ...serviceArgs(name, { built })];
}

/**
 * `npm start`: infrastructure, migrations (the one step that applies them: services only check),
 * the bootstrap admin key on a first run, then the four services in the foreground. Ctrl-C stops
 * everything this command started.
 */
export async function startCommand(): Promise<number> {
  const config = loadConfig();
  const commands = SERVICES.map((name) => [name, serviceCommand(name)] as const);
  await requirePostgres(config);
  const redis = await ensureRedis(config, false);
  const broker = await ensureLocalKafka({
    root: repoRoot,
    brokers: config.KAFKA_BROKERS,
    detached: false,
    log: say,
  });
  await ensureTopics(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-cli' }));
  await migrate(config.DATABASE_URL);
  const bootstrapSecret = await bootstrapAdminKey(config.DATABASE_URL);

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await broker?.stop();
    redis?.kill('SIGTERM');
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const [name, args] of commands) {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say(`${name} exited (${signal ?? code}); stopping the others`);
      void stopAll(1);
    });
    children.set(name, child);
  }

  const url = `http://127.0.0.1:${config.VERIFIER_PORT}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (stopping) return 1;
    if (Date.now() > deadline) {
      say('the verifier did not become healthy within 60 s');
      await stopAll(1);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`\nkeywatch is running. Verifier: ${url}`);
  if (bootstrapSecret) {
    console.log(`\nBootstrap admin key (org "default"); shown once, store it now:\n\n  ${bootstrapSecret}\n`);
    console.log(`Try: curl -i -H "Authorization: Bearer ${bootstrapSecret}" ${url}/v1/auth\n`);
  }
  console.log('Press Ctrl-C to stop.\n');
  return new Promise<number>(() => {}); // runs until a signal
}

/** On a first run (no key at all), an admin key for org "default"; its secret is returned once. */
async function bootstrapAdminKey(databaseUrl: string): Promise<string | null> {
  const database = connect(databaseUrl, { max: 1 });
  try {
    const [any] = await database.db.select({ id: apiKeys.id }).from(apiKeys).limit(1);
    if (any) return null;
    const org = await ensureOrg(database.db, 'default');
    const { secret } = await issueKey(
      database.db,
      org.id,
      newKeySchema.parse({ name: 'bootstrap-admin', scopes: ['admin'] }),
    );
    return secret;
  } finally {
    await database.close();
  }
}
