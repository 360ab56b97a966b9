import { BlockList, isIP } from 'node:net';
import { fail, ok, violation, type Result } from '@boxoffice/ddd';

interface DeniedEntry {
  /** As written, for the refusal message. */
  text: string;
  /** undefined: every address. */
  addresses?: BlockList;
  /** undefined: every port. */
  ports?: { from: number; to: number };
  always: boolean;
}

/**
 * Addresses no webhook may reach, whatever the allow-list says: the system's
 * own services and infrastructure (`WEBHOOK_DENIED_ADDRESSES`), and a fixed
 * set that nothing outside the machine ever needs (link-local, where cloud
 * metadata services answer; "this network", which Linux connects to the local
 * host; multicast and reserved ranges).
 *
 * Entries are comma-separated, each an address or CIDR range with an optional
 * port or port range: `10.0.0.0/8`, `127.0.0.1:5432`, `*:17000-17069`,
 * `[fd00::/8]:443`, `[::1]`, `fc00::/7` (IPv6 needs brackets only when a port
 * follows; `*` is every address). IPv4 ranges also match the IPv4-mapped IPv6
 * spelling of their addresses (`::ffff:127.0.0.1`), and IPv6 ranges the other
 * way round; a NAT64 or IPv4-compatible IPv6 address is also checked as the
 * IPv4 address it carries.
 *
 * This decides on an IP address that a name has already resolved to: the
 * caller checks the address it is about to connect to, not the URL's text.
 */
export class DeniedAddresses {
  /** Denied in every deployment; the setting adds to these, it cannot remove them. */
  static readonly ALWAYS = ['0.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '[::/128]', '[fe80::/10]', '[ff00::/8]', '[fd00:ec2::254/128]'];

  /** When `WEBHOOK_DENIED_ADDRESSES` is not set: loopback and every private range. */
  static readonly DEFAULT = ['127.0.0.0/8', '[::1]', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '[fc00::/7]'];

  private constructor(private readonly entries: readonly DeniedEntry[]) {}

  /** The setting's entries on top of the ones that are always denied. */
  static parse(spec: string): Result<DeniedAddresses> {
    const entries: DeniedEntry[] = [];
    for (const [texts, always] of [
      [DeniedAddresses.ALWAYS, true],
      [spec.split(','), false],
    ] as const) {
      for (const text of texts.map((e) => e.trim()).filter(Boolean)) {
        const entry = parseEntry(text, always);
        if (!entry) return fail(violation('invalid-denied-address', `"${text}" is not an address or CIDR range with an optional :port or :from-to`));
        entries.push(entry);
      }
    }
    return ok(new DeniedAddresses(entries));
  }

  /** Why `address:port` may not be called, or undefined when it may. An address that is not an IP address is refused. */
  refusal(address: string, port: number): string | undefined {
    const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
    const family = isIP(ip);
    if (family === 0) return `${address} is not an IP address`;
    const where = family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
    const hit = this.match(ip, family === 4 ? 'ipv4' : 'ipv6', port);
    if (hit) return `${where} is denied to webhooks (${hit.text}${hit.always ? ', always denied' : ' on WEBHOOK_DENIED_ADDRESSES'})`;
    const carried = family === 6 ? embeddedIPv4(ip) : undefined;
    const carriedHit = carried === undefined ? undefined : this.match(carried, 'ipv4', port);
    if (carriedHit) return `${where} carries ${carried}, which is denied to webhooks (${carriedHit.text}${carriedHit.always ? ', always denied' : ' on WEBHOOK_DENIED_ADDRESSES'})`;
    return undefined;
  }

  private match(ip: string, type: 'ipv4' | 'ipv6', port: number): DeniedEntry | undefined {
    return this.entries.find((e) => (!e.ports || (port >= e.ports.from && port <= e.ports.to)) && (!e.addresses || e.addresses.check(ip, type)));
  }
}

/** NAT64's well-known prefix (RFC 6052): DNS64 synthesises these for IPv4-only names, and the NAT64 gateway connects to the IPv4 address in the last 32 bits. */
const NAT64 = subnet('64:ff9b::', 96);
/** IPv4-compatible addresses (RFC 4291, deprecated), which some stacks still route as the IPv4 address; `::` and `::1` are not among them. */
const IPV4_COMPATIBLE = subnet('::', 96);

function subnet(address: string, prefix: number): BlockList {
  const list = new BlockList();
  list.addSubnet(address, prefix, 'ipv6');
  return list;
}

/**
 * The IPv4 address an IPv6 address stands for on the way out, when it
 * carries one: through NAT64, or as an IPv4-compatible address. (IPv4-mapped
 * addresses, `::ffff:a.b.c.d`, need nothing here: BlockList matches them
 * against IPv4 ranges itself.)
 */
function embeddedIPv4(ip: string): string | undefined {
  if (!NAT64.check(ip, 'ipv6') && !IPV4_COMPATIBLE.check(ip, 'ipv6')) return undefined;
  const groups = ipv6Groups(ip);
  const [high, low] = [groups[6] ?? 0, groups[7] ?? 0];
  if (IPV4_COMPATIBLE.check(ip, 'ipv6') && high === 0 && low <= 1) return undefined;
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const before = head ? head.split(':') : [];
  const after = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((group) => parseInt(group, 16));
}

function parseEntry(text: string, always: boolean): DeniedEntry | undefined {
  // [v6]/n:ports, [v6/n]:ports, bare v6 (no port), or v4/n:ports, *:ports
  const bracketed = /^\[([^\]]+)\](\/\d+)?(?::(.+))?$/.exec(text);
  let target: string;
  let portSpec: string | undefined;
  if (bracketed) {
    target = bracketed[1] + (bracketed[2] ?? '');
    portSpec = bracketed[3];
  } else if ((text.match(/:/g) ?? []).length > 1) {
    target = text;
  } else {
    [target, portSpec] = text.split(':');
  }
  const ports = portSpec === undefined ? undefined : parsePorts(portSpec);
  if (portSpec !== undefined && !ports) return undefined;
  if (target === '*') return { text, ports, always };
  const addresses = parseRange(target);
  return addresses ? { text, addresses, ports, always } : undefined;
}

function parseRange(target: string): BlockList | undefined {
  const [address, prefixText, ...rest] = target.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

function parsePorts(text: string): { from: number; to: number } | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : undefined;
}
