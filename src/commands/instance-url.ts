// The instance URL the CLI connects to, from --url, ATLASSIAN_URL or the policy's instance.url (first set
// wins), else the platform's own (Cloud's API host), checked before any connection: a bad value is named
// with where it came from.
import { CliError } from './plan.ts';

export interface UrlSources {
  /** `--url`. */
  flag?: string;
  /** `ATLASSIAN_URL`. */
  env?: string;
  /** The policy's `instance.url`. */
  policy?: string;
  /** The policy file, to name it. */
  policyPath: string;
  /** The platform's own base URL, when it has one (Cloud: https://api.atlassian.com). */
  platformDefault?: string;
}

export function instanceUrlFrom(s: UrlSources): string {
  if (s.flag) return checkInstanceUrl(s.flag, '--url');
  if (s.env) return checkInstanceUrl(s.env, 'ATLASSIAN_URL');
  if (s.policy) return checkInstanceUrl(s.policy, `instance.url in ${s.policyPath}`);
  if (s.platformDefault) return s.platformDefault;
  throw new CliError(`${s.policyPath}: instance.url is not set; pass --url or set ATLASSIAN_URL`);
}

const EXPECTED = 'expected http(s)://host[:port][/context-path]';

/** The URL when it is an http(s) base URL; otherwise a CliError naming `source` and the value. */
export function checkInstanceUrl(value: string, source: string): string {
  const text = value.trim();
  const bad = (why: string): never => {
    throw new CliError(`${source}: ${EXPECTED}, ${why}`);
  };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = /^[\w.-]+(:\d+)?(\/.*)?$/.test(text) ? `; did you mean https://${text}?` : '';
    bad(`got ${JSON.stringify(text)}${host}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad(`got ${JSON.stringify(text)}, which is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    bad(`got ${JSON.stringify(text)} (scheme ${url.protocol.slice(0, -1)})`);
  if (!url.hostname) bad(`got ${JSON.stringify(text)} (no host)`);
  if (url.username || url.password) {
    bad(
      'got a URL with a username or password in it; put credentials in ATLASSIAN_TOKEN, or ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD',
    );
  }
  if (url.search || url.hash) bad(`got ${JSON.stringify(text)} (a base URL has no query or fragment)`);
  return text;
}
