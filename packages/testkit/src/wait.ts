export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls until `check` returns a value other than undefined/false, or throws after the deadline
 * with the last value seen, so a failing test says what it was waiting for.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(last)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const describe = (value: unknown) =>
  value instanceof Error ? value.message : (JSON.stringify(value)?.slice(0, 500) ?? String(value));

interface CountsJobs {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** True when none of the queues has a job waiting, running, delayed or prioritized. */
export async function queuesIdle(...queues: CountsJobs[]): Promise<boolean> {
  const counts = await Promise.all(
    queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
  );
  return counts.every((c) => Object.values(c).every((n) => n === 0));
}
