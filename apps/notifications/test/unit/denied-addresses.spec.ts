import { DeniedAddresses } from '../../src/domain/webhook/denied-addresses.value-object.js';

function denied(spec: string): DeniedAddresses {
  const parsed = DeniedAddresses.parse(spec);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const isDenied = (list: DeniedAddresses, address: string, port: number) => list.refusal(address, port) !== undefined;

describe('DeniedAddresses', () => {
  describe('IPv4 ranges', () => {
    const list = denied('10.0.0.0/8, 172.16.0.0/12, 192.168.1.7');

    it.each([
      ['10.0.0.0', true],
      ['10.255.255.255', true],
      ['9.255.255.255', false],
      ['11.0.0.0', false],
      ['172.16.0.0', true],
      ['172.31.255.255', true],
      ['172.15.255.255', false],
      ['172.32.0.0', false],
      ['192.168.1.7', true],
      ['192.168.1.6', false],
      ['192.168.1.8', false],
      ['203.0.113.9', false],
    ])('%s denied: %s (CIDR boundaries)', (address, expected) => {
      expect(isDenied(list, address, 443)).toBe(expected);
    });

    it('matches the IPv4-mapped IPv6 spellings of the same addresses', () => {
      expect(isDenied(list, '::ffff:10.1.2.3', 80)).toBe(true);
      expect(isDenied(list, '::ffff:a01:203', 80)).toBe(true); // 10.1.2.3 in hex groups
      expect(isDenied(list, '[::ffff:172.31.0.1]', 80)).toBe(true);
      expect(isDenied(list, '::ffff:203.0.113.9', 80)).toBe(false);
    });
  });

  describe('IPv6 ranges', () => {
    const list = denied('fc00::/7, [2001:db8::/32]:443, [::ffff:127.0.0.0]/104');

    it.each([
      ['fc00::1', 80, true],
      ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 80, true],
      ['fe00::', 80, false],
      ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 80, false],
      ['2001:db8:ffff::1', 443, true],
      ['2001:db8::1', 8443, false],
      ['2001:db9::1', 443, false],
      ['FC00:0:0:0:0:0:0:1', 80, true],
      ['fc00::1%eth0', 80, true],
    ])('%s port %i denied: %s', (address, port, expected) => {
      expect(isDenied(list, address, port)).toBe(expected);
    });

    it('matches an IPv4 address against an IPv4-mapped IPv6 range', () => {
      expect(isDenied(list, '127.0.0.1', 80)).toBe(true);
      expect(isDenied(list, '128.0.0.1', 80)).toBe(false);
    });
  });

  describe('IPv4 addresses inside IPv6 ones', () => {
    const list = denied('10.0.0.0/8, 127.0.0.0/8');

    it.each([
      // NAT64 (RFC 6052's well-known prefix): DNS64 hands these out for IPv4-only names, the NAT64 gateway connects to the IPv4 address.
      ['64:ff9b::a00:5', true],
      ['64:ff9b::10.0.0.5', true],
      ['64:ff9b::7f00:1', true],
      ['64:ff9b::cb00:7107', false], // 203.0.113.7
      // IPv4-compatible (deprecated, RFC 4291): some stacks still route them as the IPv4 address.
      ['::127.0.0.1', true],
      ['::a00:5', true],
      ['::cb00:7107', false],
    ])('%s denied: %s (the IPv4 address it carries is checked)', (address, expected) => {
      expect(isDenied(list, address, 443)).toBe(expected);
    });
  });

  describe('ports', () => {
    const list = denied('*:5432, 127.0.0.1:17000-17069, [::1]:9092');

    it.each([
      ['203.0.113.9', 5432, true],
      ['2001:db8::1', 5432, true],
      ['203.0.113.9', 5433, false],
      ['127.0.0.1', 17000, true],
      ['127.0.0.1', 17069, true],
      ['127.0.0.1', 16999, false],
      ['127.0.0.1', 17070, false],
      ['127.0.0.2', 17000, false],
      ['::ffff:127.0.0.1', 17010, true],
      ['::1', 9092, true],
      ['::1', 9093, false],
    ])('%s port %i denied: %s', (address, port, expected) => {
      expect(isDenied(list, address, port)).toBe(expected);
    });
  });

  it('always denies link-local (cloud metadata), "this network", multicast and reserved addresses, even with an empty setting', () => {
    const list = denied('');
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', '0.0.0.0', '0.1.2.3', '224.0.0.1', '255.255.255.255', '::', 'fe80::1', 'ff02::1', 'fd00:ec2::254']) {
      expect([address, isDenied(list, address, 80)]).toEqual([address, true]);
    }
    expect(isDenied(list, '127.0.0.1', 80)).toBe(false);
    expect(isDenied(list, '203.0.113.9', 443)).toBe(false);
  });

  it('denies loopback and the private ranges by default', () => {
    const list = denied(DeniedAddresses.DEFAULT.join(','));
    for (const address of ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1', '10.96.0.1', '172.20.0.5', '192.168.0.1', '100.64.0.1', 'fd12:3456::1']) {
      expect([address, isDenied(list, address, 443)]).toEqual([address, true]);
    }
    for (const address of ['203.0.113.9', '8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect([address, isDenied(list, address, 443)]).toEqual([address, false]);
    }
  });

  it('says which entry denied an address, and refuses what is not an IP address', () => {
    const list = denied('*:27010');
    expect(list.refusal('127.0.0.1', 27010)).toBe('127.0.0.1:27010 is denied to webhooks (*:27010 on WEBHOOK_DENIED_ADDRESSES)');
    expect(list.refusal('::ffff:7f00:1', 27010)).toBe('[::ffff:7f00:1]:27010 is denied to webhooks (*:27010 on WEBHOOK_DENIED_ADDRESSES)');
    expect(list.refusal('169.254.169.254', 80)).toBe('169.254.169.254:80 is denied to webhooks (169.254.0.0/16, always denied)');
    expect(list.refusal('hooks.example.com', 443)).toBe('hooks.example.com is not an IP address');
  });

  it.each(['example.com', '10.0.0.0/33', '[fc00::/129]', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.1:90-80', '*:http', '10.0.0.0/8/8', '[::1'])('refuses %p as an entry', (entry) => {
    const parsed = DeniedAddresses.parse(entry);
    expect(!parsed.ok && parsed.error.code).toBe('invalid-denied-address');
  });
});
