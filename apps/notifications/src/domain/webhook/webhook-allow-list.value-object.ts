import { fail, ok, violation, type Result } from '@boxoffice/ddd';

interface AllowedHost {
  hostname: string;
  /** undefined: any port. */
  port?: string;
}

/**
 * The hosts a client's callbackUrl may point at (`WEBHOOK_ALLOWED_HOSTS`:
 * `hooks.example.com, 203.0.113.7:8443, [2001:db8::1]`). A callbackUrl comes
 * from a client, so without this list anyone could make us call our own
 * internal addresses. Hosts and URLs are both read through the WHATWG URL
 * parser, so `http://2130706433/` or `http://0x7f.1/` compare as the
 * `127.0.0.1` they really are. Only http and https, no credentials.
 */
export class WebhookAllowList {
  private constructor(private readonly hosts: readonly AllowedHost[]) {}

  static parse(spec: string): Result<WebhookAllowList> {
    const hosts: AllowedHost[] = [];
    for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
      const url = parseUrl(`http://${entry}`);
      if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        return fail(violation('invalid-allowed-host', `"${entry}" is not a host or host:port`));
      }
      // The parser drops a port that is the scheme's default; keep what was written.
      const port = url.port || (/:\d+$/.test(entry) ? '80' : undefined);
      hosts.push({ hostname: url.hostname, port });
    }
    return ok(new WebhookAllowList(hosts));
  }

  get isEmpty(): boolean {
    return this.hosts.length === 0;
  }

  /** The URL to call, or why it may not be called. Decided from the text alone, before any connection. */
  check(callbackUrl: string): Result<URL> {
    const url = parseUrl(callbackUrl);
    if (!url) return fail(violation('invalid-url', 'the callback URL cannot be parsed'));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(violation('scheme-not-allowed', `scheme ${url.protocol} is not allowed; use http or https`));
    if (url.username || url.password) return fail(violation('credentials-not-allowed', 'callback URLs may not carry credentials'));
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const allowed = this.hosts.some((host) => host.hostname === url.hostname && (host.port === undefined || host.port === port));
    if (!allowed) return fail(violation('host-not-allowed', `host ${url.host} is not on WEBHOOK_ALLOWED_HOSTS`));
    return ok(url);
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
