import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningBroker, startKafka, waitForAdmin } from './kafka.ts';

/** The developer's broker for `npm start` and `keywatch infra up`; its data stays in the clone's .data/. */
export const localKafkaDir = (root: string): string => join(root, '.data', 'kafka');

export function portOf(broker: string): number {
  return Number(broker.slice(broker.lastIndexOf(':') + 1));
}

export async function kafkaAnswers(brokers: string[], timeoutMs = 1500): Promise<boolean> {
  try {
    await waitForAdmin(brokers, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

export interface LocalKafkaOptions {
  root: string;
  brokers: string[];
  detached: boolean;
  log: (line: string) => void;
}

/**
 * Starts the local broker on the first configured address unless one already answers there.
 * Returns null when an existing broker is used (it is not ours to stop).
 */
export async function ensureLocalKafka({
  root,
  brokers,
  detached,
  log,
}: LocalKafkaOptions): Promise<RunningBroker | null> {
  if (await kafkaAnswers(brokers)) {
    log(`kafka already answering on ${brokers.join(',')}`);
    return null;
  }
  const port = portOf(brokers[0]!);
  return startKafka({ dataDir: localKafkaDir(root), port, controllerPort: port + 1, detached, log });
}

/** Stops a broker started detached by `keywatch infra up`. */
export async function stopLocalKafka(root: string, timeoutMs = 20_000): Promise<boolean> {
  const pidFile = join(localKafkaDir(root), 'broker.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive()) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  return true;
}
