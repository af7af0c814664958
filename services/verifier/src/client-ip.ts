import { type BlockList, isIP, isIPv4 } from 'node:net';

export { networkList } from '@keywatch/notify';

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything not an IP → null. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  if (isIPv4(raw)) return raw; // most peers: nothing to take off
  const ip = raw.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const candidate = mapped ? mapped[1]! : ip;
  return isIP(candidate) ? candidate : null;
}

const familyOf = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Addresses remembered per trusted list; past this many the memory starts over. */
const MAX_REMEMBERED = 10_000;
const verdicts = new WeakMap<BlockList, Map<string, boolean>>();

/**
 * True when the (normalized) address is in the trusted list. Asked on every request, about the few
 * addresses of its proxies mostly, so remembered: BlockList.check builds a SocketAddress each time,
 * which costs more than the rest of reading the request.
 */
export function isTrusted(ip: string | null, trusted: BlockList): boolean {
  if (ip === null) return false;
  let known = verdicts.get(trusted);
  if (!known) {
    known = new Map();
    verdicts.set(trusted, known);
  }
  let verdict = known.get(ip);
  if (verdict === undefined) {
    if (known.size >= MAX_REMEMBERED) known.clear();
    verdict = trusted.check(ip, familyOf(ip));
    known.set(ip, verdict);
  }
  return verdict;
}

/**
 * The client's IP: X-Forwarded-For is believed only when the direct peer is a trusted proxy, and
 * then read from the right, skipping further trusted proxies, so a client cannot forge its own.
 */
export function clientIp(
  peer: string | null | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
) {
  const direct = normalizeIp(peer);
  if (!direct || !forwardedFor || !isTrusted(direct, trusted)) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let client = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) break;
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return client;
}
