import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';

/** A webhook's address is one the installation does not let tenants reach. */
export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
}

/** Builds a BlockList from IPs and CIDRs (v4 and v6), such as WEBHOOK_ALLOWED_NETWORKS. */
export function networkList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

// Ranges a tenant's webhook must not reach, by why: the installation's own network and addresses
// that are not a single public host. The first that matches names the reason.
const REFUSED: [reason: string, family: 'ipv4' | 'ipv6', cidrs: string[]][] = [
  ['broadcast', 'ipv4', ['255.255.255.255/32']],
  ['unspecified', 'ipv4', ['0.0.0.0/8']],
  ['loopback', 'ipv4', ['127.0.0.0/8']],
  ['private', 'ipv4', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['shared address space', 'ipv4', ['100.64.0.0/10']],
  ['link-local', 'ipv4', ['169.254.0.0/16']],
  ['multicast', 'ipv4', ['224.0.0.0/4']],
  [
    'reserved',
    'ipv4',
    ['192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4'],
  ],
  ['unspecified', 'ipv6', ['::/128']],
  ['loopback', 'ipv6', ['::1/128']],
  ['unique-local', 'ipv6', ['fc00::/7']],
  ['link-local', 'ipv6', ['fe80::/10']],
  ['multicast', 'ipv6', ['ff00::/8']],
  // 64:ff9b:1::/48 is NAT64 for local use (RFC 8215): it leads into the operator's own network.
  ['reserved', 'ipv6', ['100::/64', '2001:db8::/32', 'fec0::/10', '64:ff9b:1::/48']],
];
const refused = REFUSED.map(([reason, family, cidrs]) => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    list.addSubnet(address!, Number(bits), family);
  }
  return { reason, family, list };
});

/** The eight 16-bit words of an IPv6 address (a trailing dotted quad included). */
function ipv6Words(ip: string): number[] {
  let text = ip;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const words = (part: string | undefined) =>
    part ? part.split(':').map((w) => Number.parseInt(w, 16)) : [];
  const front = words(head);
  const back = words(tail);
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

const quadOf = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 one carries, where the network would deliver it to that IPv4 host:
 * IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function embeddedIpv4(ip: string): string | null {
  if (isIP(ip) !== 6) return null;
  const w = ipv6Words(ip);
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (w[5] === 0xffff || w[5] === 0)) return quadOf(w[6]!, w[7]!);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return quadOf(w[6]!, w[7]!);
  if (w[0] === 0x2002) return quadOf(w[1]!, w[2]!);
  return null;
}

/**
 * Why a webhook may not reach this IP (`loopback`, `private`, …), or null when it may: a public
 * address, or one inside the operator's `allowed` networks (WEBHOOK_ALLOWED_NETWORKS).
 */
export function addressRefusal(ip: string, allowed: BlockList): string | null {
  const family = isIP(ip) === 6 ? 'ipv6' : isIP(ip) === 4 ? 'ipv4' : null;
  if (!family) return 'not an IP address';
  const v4 = embeddedIpv4(ip);
  if (allowed.check(ip, family) || (v4 && allowed.check(v4, 'ipv4'))) return null;
  for (const range of refused) {
    if (range.family === family && range.list.check(ip, family)) return range.reason;
  }
  // :: and ::1 are matched above, before their IPv4-compatible reading as 0.0.0.0 and 0.0.0.1.
  if (v4) return addressRefusal(v4, allowed);
  return null;
}

/** "address 127.0.0.1 is not allowed (loopback)", or null: the reason a delivery fails with. */
export function addressProblem(ip: string, allowed: BlockList): string | null {
  const reason = addressRefusal(ip, allowed);
  return reason && `address ${ip} is not allowed (${reason})`;
}

const isLoopbackName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

/**
 * What is wrong with a webhook URL before anything is sent, or null. Only what the URL itself
 * shows: a literal address in a refused range, a loopback name, or credentials. Names that
 * resolve to a refused address are caught when sending, on the connection.
 */
export function webhookUrlProblem(url: string, allowed: BlockList): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  // The WHATWG parser already turned 0x7f000001, 2130706433 and 127.1 into 127.0.0.1.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return addressProblem(host, allowed);
  if (isLoopbackName(host)) {
    const reason = addressRefusal('127.0.0.1', allowed) && addressRefusal('::1', allowed);
    return reason && `host ${host} is not allowed (${reason})`;
  }
  return null;
}

/**
 * An undici Agent that refuses, on the connection itself, any address `addressRefusal` refuses:
 * names after DNS (every address they resolve to, so a rebinding name cannot slip one through),
 * literal IPs before connecting (Node does no lookup for those).
 */
export function guardedAgent(allowed: BlockList, options: { timeoutMs: number }): Agent {
  const lookup: LookupFunction = (hostname, opts, callback) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refusal = addresses.map((a) => addressRefusal(a.address, allowed)).find(Boolean);
      if (refusal)
        return callback(
          new AddressRefusedError(
            // Not which kind: a tenant must not learn what the installation's DNS says of a name.
            'webhook: the host resolves to an address that is not allowed',
          ),
          '',
          0,
        );
      if (opts.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const connect = buildConnector({ lookup, timeout: options.timeoutMs });
  return new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect(opts, callback) {
      const problem = isIP(opts.hostname) ? addressProblem(opts.hostname, allowed) : null;
      if (problem) return callback(new AddressRefusedError(`webhook: ${problem}`), null);
      connect(opts, callback);
    },
  });
}
