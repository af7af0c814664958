import autocannon from 'autocannon';

export const CONNECTIONS = 32;

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses received (requests still in flight when the run ends are not among them). */
  responses: number;
  non2xx: number;
}

/** One autocannon run; `rate` caps requests per second (for latency at a given load). */
export async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  rate?: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses: result.requests.total,
    non2xx: result.non2xx,
  };
}
