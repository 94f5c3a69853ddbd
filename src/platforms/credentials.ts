// Credentials are read once, from the environment (CLI) or the Action's inputs and environment, through
// the declarations of the platform's driver. Never from the policy.
import type { CredentialKey, Credentials, PlatformDriver } from './driver.ts';

/** Where each credential comes from: an environment variable and, for some, an Action input. */
export const CREDENTIAL_SOURCES: Record<
  CredentialKey,
  { env: string; input: string | null; secret: boolean }
> = {
  token: { env: 'ATLASSIAN_TOKEN', input: 'atlassian-token', secret: true },
  username: { env: 'ATLASSIAN_USERNAME', input: 'atlassian-username', secret: false },
  password: { env: 'ATLASSIAN_PASSWORD', input: 'atlassian-password', secret: true },
  appName: { env: 'ATLASSIAN_APP_NAME', input: null, secret: false },
  appPassword: { env: 'ATLASSIAN_APP_PASSWORD', input: null, secret: true },
};

const KEYS = Object.keys(CREDENTIAL_SOURCES) as CredentialKey[];

/** Credentials from environment variables (the CLI). Empty values count as unset. */
export function credentialsFromEnv(env: Record<string, string | undefined>): Credentials {
  const out: Credentials = {};
  for (const key of KEYS) {
    const v = env[CREDENTIAL_SOURCES[key].env];
    if (v) out[key] = v;
  }
  return out;
}

/**
 * Credentials of the Action: each input (`INPUT_ATLASSIAN_TOKEN`…) where the credential has one and it is
 * set, else the environment variable (`ATLASSIAN_APP_NAME`, or `ATLASSIAN_TOKEN` passed as `env:`).
 */
export function credentialsFromAction(env: Record<string, string | undefined>): Credentials {
  const out: Credentials = {};
  for (const key of KEYS) {
    const { env: name, input } = CREDENTIAL_SOURCES[key];
    const fromInput = input ? (env[`INPUT_${input.toUpperCase()}`] ?? '').trim() : '';
    const v = fromInput || env[name];
    if (v) out[key] = v;
  }
  return out;
}

/** The secret values among the credentials, to mask in logs (with the Basic headers they make). */
export function secretsOf(c: Credentials): string[] {
  const out: string[] = [];
  for (const key of KEYS) if (CREDENTIAL_SOURCES[key].secret && c[key]) out.push(c[key]!);
  if (c.username && c.password) out.push(Buffer.from(`${c.username}:${c.password}`).toString('base64'));
  if (c.appName && c.appPassword) out.push(Buffer.from(`${c.appName}:${c.appPassword}`).toString('base64'));
  return out;
}

function names(keys: CredentialKey[]): string {
  return keys.map((k) => CREDENTIAL_SOURCES[k].env).join(' and ');
}

/** True when the credentials complete one of the driver's ways to authenticate. */
export function canAuthenticate(driver: PlatformDriver, c: Credentials): boolean {
  return driver.credentials.auth.some((a) => a.keys.every((k) => Boolean(c[k])));
}

/**
 * What is missing or half-set, one message per problem, naming the variables (empty = fine). A half-set
 * optional pair (an application name without its password) is a problem too: it would be silently unused.
 */
export function credentialProblems(driver: PlatformDriver, c: Credentials): string[] {
  const problems: string[] = [];
  if (!canAuthenticate(driver, c) && !driver.credentials.auth.some((a) => a.keys.some((k) => c[k]))) {
    const ways = driver.credentials.auth.map((a) => `${names(a.keys)} (${a.label})`).join(', or ');
    problems.push(`no credentials for ${driver.product}: set ${ways}`);
  }
  // A half-set way to authenticate matters only when no other way is complete; a half-set optional pair
  // always does (it would be silently unused).
  const pairs = canAuthenticate(driver, c) ? [] : driver.credentials.auth;
  for (const pair of [...pairs, ...(driver.credentials.optional ?? [])]) {
    const set = pair.keys.filter((k) => c[k]);
    if (set.length > 0 && set.length < pair.keys.length) {
      const missing = pair.keys.filter((k) => !c[k]);
      problems.push(`${names(set)} is set but ${names(missing)} is not; set both or neither`);
    }
  }
  return problems;
}
