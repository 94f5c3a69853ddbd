// How a failed CLI run reads: a connection problem names the setting to fix (describe-error.ts); an
// unexpected error (a bug) prints its message and how to report it — the stack only with AUP_DEBUG=1.
import { describeHttpFailure } from '../http/describe-error.ts';
import { type CredentialNames, DEFAULT_CREDENTIAL_NAMES } from '../platforms/credentials.ts';
import type { Credentials } from '../platforms/registry.ts';
import { clipLines } from '../report/escape.ts';

/** Data Center products serve their embedded-Crowd application API here (login times). */
const CROWD_APPLICATION_PATH = '/rest/usermanagement/1';

/** The one-line message for an authentication or transport failure against `url`; undefined otherwise. */
export function describeConnectionFailure(
  e: unknown,
  url: string,
  c: Credentials,
  names: CredentialNames = DEFAULT_CREDENTIAL_NAMES,
): string | undefined {
  const env = (k: keyof CredentialNames['variables']) => names.variables[k] ?? `instance.credentials (${k})`;
  return describeHttpFailure(e, url.replace(/\/+$/, ''), {
    primary: c.token ? env('token') : `${env('username')} / ${env('password')}`,
    byPath: [{ prefix: CROWD_APPLICATION_PATH, names: `${env('appName')} / ${env('appPassword')}` }],
  });
}

/** Errors that only a defect in aup throws (as opposed to bad input or a failing instance). */
function isDefect(e: unknown): boolean {
  return (
    e instanceof TypeError ||
    e instanceof ReferenceError ||
    e instanceof RangeError ||
    (e instanceof Error && e.name === 'AssertionError')
  );
}

/** The lines to print for an error no other handler took. */
export function describeUnexpected(e: unknown, debug: boolean): string {
  const message = clipLines(e instanceof Error ? e.message : String(e));
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  if (!isDefect(e)) return `aup: ${message}${stack}`;
  const hint = debug
    ? ''
    : '\nThis is a bug in aup: please report it with the command you ran (AUP_DEBUG=1 adds the stack trace).';
  return `aup: unexpected error: ${message}${hint}${stack}`;
}
