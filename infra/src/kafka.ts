import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

export const KAFKA_VERSION = '3.9.1';
// Found by the package's name, not from this file: bundled into the CLI's dist/, this module's
// import.meta.url is the bundle's.
const POM = join(
  dirname(createRequire(import.meta.url).resolve('@keywatch/infra')),
  '..',
  'kafka',
  'pom.xml',
);

/** Jars live outside the clone so a fresh clone starts at once after the first fetch. */
export function cacheDir(): string {
  const base =
    process.env.KEYWATCH_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'keywatch');
  return join(base, `kafka-${KAFKA_VERSION}`);
}

/** Fetches the broker's runtime jars from Maven Central once; later calls return the cached folder. */
export function ensureKafkaLibs(log: (line: string) => void = () => {}): string {
  const libs = join(cacheDir(), 'libs');
  if (existsSync(join(libs, '.complete'))) return libs;
  log(`fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs}`);
  // Fetch into a private folder and rename, so two runs fetching at once never see half a folder.
  const staging = `${libs}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      POM,
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (mvn.error || mvn.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = mvn.error?.message ?? `${mvn.stdout}${mvn.stderr}`.trim().slice(-2000);
    throw new Error(
      `could not fetch Kafka jars with Maven (is mvn installed and Maven Central reachable?): ${why}`,
    );
  }
  writeFileSync(join(staging, '.complete'), `${KAFKA_VERSION}\n`);
  try {
    renameSync(staging, libs);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run won the race; its copy is complete
  }
  return libs;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BrokerOptions {
  dataDir: string;
  port: number;
  controllerPort: number;
}

function serverProperties({ dataDir, port, controllerPort }: BrokerOptions): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'group.initial.rebalance.delay.ms=0',
    'log.cleaner.dedupe.buffer.size=2097152',
  ].join('\n')}\n`;
}

const LOG4J = `${[
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
].join('\n')}\n`;

export interface RunningBroker {
  brokers: string[];
  pid: number;
  /** Milliseconds from launching the JVM to the first successful admin call. */
  readyMs: number;
  /** Stops the broker and waits for its process to end. */
  stop(): Promise<void>;
}

export interface StartOptions extends BrokerOptions {
  /** Survive the parent (for `keywatch infra up`); otherwise the broker is the caller's child. */
  detached?: boolean;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** Formats (once) and starts a single-node KRaft broker, resolving when an admin client can list topics. */
export async function startKafka(options: StartOptions): Promise<RunningBroker> {
  const { dataDir, port, detached = false, log = () => {}, readyTimeoutMs = 90_000 } = options;
  const libs = ensureKafkaLibs(log);
  mkdirSync(dataDir, { recursive: true });
  const properties = join(dataDir, 'server.properties');
  writeFileSync(properties, serverProperties(options));
  writeFileSync(join(dataDir, 'log4j.properties'), LOG4J);
  const classpath = `${libs}/*`;
  const format = spawnSync(
    'java',
    [
      `-Dlog4j.configuration=file:${join(dataDir, 'log4j.properties')}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      readOrCreateClusterId(dataDir),
      '-c',
      properties,
      '--ignore-formatted',
    ],
    { encoding: 'utf8' },
  );
  if (format.status !== 0)
    throw new Error(`kafka storage format failed: ${format.stdout}${format.stderr}`.trim());

  const out = openSync(join(dataDir, 'broker.log'), 'a');
  const launched = Date.now();
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xmx512m',
      '-Xms128m',
      '-XX:+UseSerialGC',
      `-Dlog4j.configuration=file:${join(dataDir, 'log4j.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      properties,
    ],
    { stdio: ['ignore', out, out], detached },
  );
  closeSync(out);
  if (detached) child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const brokers = [`127.0.0.1:${port}`];
  await Promise.race([
    waitForAdmin(brokers, readyTimeoutMs),
    exited.then((code) => {
      throw new Error(
        `kafka exited with code ${code} before it was ready; see ${join(dataDir, 'broker.log')}`,
      );
    }),
  ]).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  const readyMs = Date.now() - launched;
  log(`kafka ready on ${brokers[0]} in ${readyMs} ms`);
  writeFileSync(join(dataDir, 'broker.pid'), `${child.pid}\n`);
  return {
    brokers,
    pid: child.pid!,
    readyMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(join(dataDir, 'broker.pid'), { force: true });
    },
  };
}

/**
 * 16 random bytes as 22 base64url characters, as StorageTool wants. Like Kafka's own
 * Uuid.randomUuid, never one starting with '-', which the tool's argument parser takes for an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function readOrCreateClusterId(dataDir: string): string {
  const file = join(dataDir, 'cluster.id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  writeFileSync(file, `${newClusterId()}\n`);
  return readFileSync(file, 'utf8').trim();
}

/** Resolves when an admin client can list topics on the brokers; rejects after the deadline. */
export async function waitForAdmin(brokers: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({
    brokers,
    clientId: 'keywatch-infra',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  let lastError: unknown;
  do {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await admin.disconnect().catch(() => {});
    }
  } while (Date.now() < deadline);
  throw new Error(`kafka at ${brokers.join(',')} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}
