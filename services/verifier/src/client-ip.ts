import { type BlockList, isIP } from 'node:net';

export { networkList } from '@keywatch/notify';

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything not an IP → null. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const ip = raw.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const candidate = mapped ? mapped[1]! : ip;
  return isIP(candidate) ? candidate : null;
}

const familyOf = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** True when the (normalized) address is in the list. */
export const isTrusted = (ip: string | null, trusted: BlockList): boolean =>
  ip !== null && trusted.check(ip, familyOf(ip));

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
  if (!direct || !forwardedFor || !trusted.check(direct, familyOf(direct))) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let client = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) break;
    client = hop;
    if (!trusted.check(hop, familyOf(hop))) break;
  }
  return client;
}
