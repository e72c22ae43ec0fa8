import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Addresses that lead back to the station itself or to its own link: loopback, "this host"
 * (0.0.0.0 and :: connect to the station on Linux), link-local (169.254.169.254 is a cloud
 * metadata service; fe80:: reaches only the link). IPv4-mapped IPv6 forms (::ffff:127.0.0.1)
 * match their IPv4 subnet.
 */
const SUBNETS: { address: string; prefix: number; family: 'ipv4' | 'ipv6'; kind: string }[] = [
  { address: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'a loopback address' },
  { address: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'an address meaning this station' },
  { address: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'a link-local address' },
  { address: '::1', prefix: 128, family: 'ipv6', kind: 'a loopback address' },
  { address: '::', prefix: 128, family: 'ipv6', kind: 'an address meaning this station' },
  { address: 'fe80::', prefix: 10, family: 'ipv6', kind: 'a link-local address' },
];

const LISTS = SUBNETS.map((s) => {
  const list = new BlockList();
  list.addSubnet(s.address, s.prefix, s.family);
  return { list, kind: s.kind };
});

/**
 * What makes an IP address one of the station's own, in words (`a loopback address`), or
 * undefined when it is an address elsewhere on the network. The station's own interface
 * addresses count too: a service bound to every address is reached through them as well.
 */
export function localAddressKind(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, kind } of LISTS) if (list.check(bare, type)) return kind;
  const own = Object.values(networkInterfaces())
    .flat()
    .some((a) => a !== undefined && sameAddress(a.address, bare));
  return own ? 'an address of this station' : undefined;
}

function sameAddress(a: string, b: string): boolean {
  const list = new BlockList();
  list.addAddress(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, isIP(b) === 4 ? 'ipv4' : 'ipv6');
}

const LOOPBACK = LISTS.filter((l) => l.kind === 'a loopback address').map((l) => l.list);

/** 127.0.0.0/8 and ::1 (and `localhost`): reached only from the station itself. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.some((l) => l.check(bare, family === 4 ? 'ipv4' : 'ipv6'));
}
