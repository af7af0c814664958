// Plain Node, no metrics library: the Kafka worker thread imports this too.
import { readFileSync, readlinkSync } from 'node:fs';

/** The Linux thread id of the calling thread (main or worker); null where /proc has no thread-self. */
export function currentThreadId(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node runs on

/**
 * User and system CPU seconds from a `/proc/…/stat` file: a process's (`/proc/<pid>/stat`, every
 * thread it has had) or one thread's (`/proc/<pid>/task/<tid>/stat`); null if it is gone.
 */
export function cpuSecondsOf(statPath: string): { user: number; system: number } | null {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // The fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** CPU seconds (user and system) a thread of this process has used; null if it is gone. */
export function threadCpuSeconds(tid: number): number | null {
  const cpu = cpuSecondsOf(`/proc/self/task/${tid}/stat`);
  return cpu && cpu.user + cpu.system;
}
