// Credentials never travel in clear to another machine: an instance URL with plain http is refused unless it
// points at this machine (loopback) or the policy says `instance.allow_insecure_http: true`. Checked once
// where every driver connects (platforms/registry.ts), so every platform gets it.

/** True for localhost (and *.localhost), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(host)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why `url` must not be used, or null: http to a non-loopback host without `allow_insecure_http`. The message
 * names the URL, the risk and both ways out.
 */
export function insecureUrlProblem(url: string, allowInsecureHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // malformed URLs are reported where the URL is read
  }
  if (parsed.protocol !== 'http:' || allowInsecureHttp || isLoopbackHost(parsed.hostname)) return null;
  return (
    `${url}: plain http would send the credentials to ${parsed.host} unencrypted; use https://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}, ` +
    'or set instance.allow_insecure_http: true in the policy if this network is trusted'
  );
}
