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
 * way round.
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
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const hit = this.entries.find((e) => (!e.ports || (port >= e.ports.from && port <= e.ports.to)) && (!e.addresses || e.addresses.check(ip, type)));
    if (!hit) return undefined;
    const where = family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
    return `${where} is denied to webhooks (${hit.text}${hit.always ? ', always denied' : ' on WEBHOOK_DENIED_ADDRESSES'})`;
  }
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
