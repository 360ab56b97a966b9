import { WebhookAllowList } from '../../src/domain/webhook/webhook-allow-list.value-object.js';

function allowList(spec: string): WebhookAllowList {
  const parsed = WebhookAllowList.parse(spec);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function refusal(list: WebhookAllowList, url: string): string | undefined {
  const checked = list.check(url);
  return checked.ok ? undefined : checked.error.code;
}

describe('WebhookAllowList', () => {
  const list = allowList(' 127.0.0.1, Hooks.Example.com , api.example.org:8443, [::1]:9000 ');

  it.each([
    'http://127.0.0.1/hook',
    'http://127.0.0.1:41234/hook?x=1',
    'https://hooks.example.com/a/b',
    'HTTPS://HOOKS.EXAMPLE.COM/',
    'https://api.example.org:8443/cb',
    'http://[::1]:9000/cb',
  ])('lets %s through', (url) => {
    expect(refusal(list, url)).toBeUndefined();
  });

  // Inputs only: these URLs are refused by matching, nothing connects to them. The
  // list names 127.0.0.1, and an alias such as `localhost` must not slip past it.
  it.each([
    ['http://127.0.0.2:9/hook', 'host-not-allowed'],
    ['http://localhost/hook', 'host-not-allowed'],
    ['http://169.254.169.254/latest/meta-data', 'host-not-allowed'],
    ['http://10.0.0.1/', 'host-not-allowed'],
    ['https://api.example.org/cb', 'host-not-allowed'],
    ['https://api.example.org:8444/cb', 'host-not-allowed'],
    ['http://[::1]/cb', 'host-not-allowed'],
    ['https://hooks.example.com.evil.test/', 'host-not-allowed'],
    ['https://evil.test/?hooks.example.com', 'host-not-allowed'],
    ['ftp://127.0.0.1/file', 'scheme-not-allowed'],
    ['file:///etc/passwd', 'scheme-not-allowed'],
    ['http://user:pw@127.0.0.1/hook', 'credentials-not-allowed'],
    ['not a url', 'invalid-url'],
  ])('refuses %s (%s)', (url, code) => {
    expect(refusal(list, url)).toBe(code);
  });

  it('compares the address a URL really names, whatever its spelling', () => {
    const loopbackOnly = allowList('127.0.0.2');
    expect(refusal(loopbackOnly, 'http://2130706433/')).toBe('host-not-allowed'); // 127.0.0.1 in decimal
    expect(refusal(allowList('127.0.0.1'), 'http://2130706433/')).toBeUndefined();
    expect(refusal(allowList('127.0.0.1'), 'http://0x7f.1/')).toBeUndefined();
  });

  it('honours a port written as the default one', () => {
    const list80 = allowList('example.com:80');
    expect(refusal(list80, 'http://example.com/')).toBeUndefined();
    expect(refusal(list80, 'https://example.com/')).toBe('host-not-allowed');
  });

  it('allows nothing when the list is empty', () => {
    const empty = allowList('');
    expect(empty.isEmpty).toBe(true);
    expect(refusal(empty, 'http://127.0.0.1/')).toBe('host-not-allowed');
  });

  it.each(['example.com/path', 'user@example.com', 'exa mple.com'])('refuses %p as an allow-list entry', (entry) => {
    const parsed = WebhookAllowList.parse(entry);
    expect(!parsed.ok && parsed.error.code).toBe('invalid-allowed-host');
  });
});
