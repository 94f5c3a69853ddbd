// One line for a request that could not authenticate or could not reach the instance, naming the setting
// to fix and the likely cause: "ATLASSIAN_TOKEN was rejected by https://jira.example.com: …", "https://…:
// the server does not speak TLS there; is it http://…?". Never an OpenSSL dump, never a stack.
import { STATUS_CODES } from 'node:http';
import { AuthError, HttpError } from './errors.ts';
import { errorCode } from './retry.ts';

export interface CredentialNames {
  /** What the instance's own client authenticates with: `ATLASSIAN_TOKEN`, or `ATLASSIAN_USERNAME / ATLASSIAN_PASSWORD`. */
  primary: string;
  /** Other clients, by the path their requests start with (the embedded-Crowd application). */
  byPath?: readonly { prefix: string; names: string }[];
}

/** The message for an AuthError or a transport failure; undefined for any other error. */
export function describeHttpFailure(e: unknown, baseUrl: string, names: CredentialNames): string | undefined {
  if (e instanceof AuthError) return describeAuth(e, baseUrl, names);
  if (e instanceof HttpError && e.status === undefined) return describeTransport(e, baseUrl);
  return undefined;
}

function describeAuth(e: AuthError, baseUrl: string, names: CredentialNames): string {
  const other = names.byPath?.find((p) => e.path.startsWith(p.prefix));
  const who = other?.names ?? names.primary;
  const where = other ? `${baseUrl}${other.prefix}` : baseUrl;
  const verb = who.includes('/') ? 'were' : 'was';
  const said = e.loginReason
    ? `the server answered ${e.method} ${e.path} with X-Seraph-LoginReason: ${e.loginReason}${
        e.loginReason === 'AUTHENTICATION_DENIED'
          ? ' (a CAPTCHA is required after failed logins: log in once in a browser to clear it)'
          : ''
      }`
    : `${e.method} ${e.path} answered ${e.status} ${STATUS_CODES[e.status ?? 0] ?? ''}${e.detail ? `: ${e.detail}` : ''}`;
  return `${who} ${verb} rejected by ${where}: ${said}`;
}

const CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function describeTransport(e: HttpError, baseUrl: string): string {
  const code = errorCode(e.cause) ?? '';
  const text = e.cause instanceof Error ? e.cause.message : String(e.detail ?? '');
  const url = new URL(baseUrl);
  const at = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const head = `cannot reach ${baseUrl} (${e.method} ${e.path})`;
  if (code === 'ECONNREFUSED')
    return `${head}: connection refused: nothing listens on ${at}; is the instance up and the port right?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return `${head}: the host name ${url.hostname} was not found (DNS); check the URL`;
  if (CERTIFICATE.has(code))
    return `${head}: the server's TLS certificate is not trusted (${code}); if it is signed by your organisation's own CA, point NODE_EXTRA_CA_CERTS at that CA's certificate file`;
  if (/^ERR_SSL_|^EPROTO$|^ERR_TLS_/.test(code) || /SSL routines|TLS/i.test(text)) {
    const plain = /wrong.version.number|packet.length.too.long|http.request|record.layer.failure/i.test(
      code + text,
    );
    if (plain && url.protocol === 'https:')
      return `${head}: TLS handshake failed: the server on ${at} does not speak TLS; is the URL http://${url.host}${url.pathname === '/' ? '' : url.pathname}?`;
    return `${head}: TLS handshake failed (${code || firstLine(text)})`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    const hint = url.protocol === 'http:' ? '; if the instance is served over https, use https://' : '';
    return `${head}: the connection was closed before an answer (${code})${hint}`;
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')
    return `${head}: no connection to ${at} in time (${code}); a firewall, a proxy, or a wrong host or port?`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return `${head}: the server did not answer in time (${code})`;
  if (e.detail?.startsWith('no complete answer within'))
    return `${head}: the server did not finish its answer in time (${e.detail})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `${head}: ${url.hostname} is unreachable from here (${code})`;
  return `${head}: ${code ? `${code}: ` : ''}${firstLine(text)}`;
}

/** The first line of a transport message, without OpenSSL's `<hex>:error:<lib>:…:<file>:<line>:` noise. */
function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const ssl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(line);
  return (ssl ? ssl[1]! : line).trim().slice(0, 200);
}
