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

/** The policy's key (`instance.credentials.<key>`) of each credential. */
export const POLICY_CREDENTIAL_KEYS: Record<CredentialKey, string> = {
  token: 'token',
  username: 'username',
  password: 'password',
  appName: 'app_name',
  appPassword: 'app_password',
};

/**
 * The variables an instance's credentials are read from: those its policy names in `instance.credentials`
 * (`file` is the policy, for messages), or the ATLASSIAN_* defaults (`file` null).
 */
export interface CredentialNames {
  variables: Partial<Record<CredentialKey, string>>;
  file: string | null;
}

export const DEFAULT_CREDENTIAL_NAMES: CredentialNames = {
  variables: Object.fromEntries(KEYS.map((k) => [k, CREDENTIAL_SOURCES[k].env])),
  file: null,
};

/** The variable names of a policy's `instance.credentials` (null when it names none: the defaults apply). */
export function credentialNamesOf(
  named: Partial<Record<string, string>> | undefined,
  file: string,
): CredentialNames | null {
  if (!named) return null;
  const variables: Partial<Record<CredentialKey, string>> = {};
  for (const k of KEYS) {
    const v = named[POLICY_CREDENTIAL_KEYS[k]];
    if (v) variables[k] = v;
  }
  return { variables, file };
}

/** Credentials from the variables a policy names (only those: the ATLASSIAN_* defaults are not read). */
export function credentialsFromNames(
  names: CredentialNames,
  env: Record<string, string | undefined>,
): Credentials {
  const out: Credentials = {};
  for (const key of KEYS) {
    const name = names.variables[key];
    const v = name ? env[name] : undefined;
    if (v) out[key] = v;
  }
  return out;
}

function variable(k: CredentialKey, n: CredentialNames): string {
  const v = n.variables[k];
  if (v) return v;
  return `instance.credentials.${POLICY_CREDENTIAL_KEYS[k]}`;
}

function names(keys: CredentialKey[], n: CredentialNames): string {
  return keys.map((k) => variable(k, n)).join(' and ');
}

/** True when the credentials complete one of the driver's ways to authenticate. */
export function canAuthenticate(driver: PlatformDriver, c: Credentials): boolean {
  return driver.credentials.auth.some((a) => a.keys.every((k) => Boolean(c[k])));
}

/**
 * What is missing or half-set, one message per problem, naming the variables (empty = fine). A half-set
 * optional pair (an application name without its password) is a problem too: it would be silently unused.
 */
export function credentialProblems(
  driver: PlatformDriver,
  c: Credentials,
  named: CredentialNames = DEFAULT_CREDENTIAL_NAMES,
): string[] {
  const problems = problemsOf(driver, c, named);
  if (!named.file) return problems;
  return problems.map((p) => `${p} (instance.credentials of ${named.file}: ${describeNames(named, c)})`);
}

/** `token: JIRA_PROD_TOKEN (not set)`: which variable each named credential is read from and whether it is set. */
function describeNames(n: CredentialNames, c: Credentials): string {
  const given = KEYS.filter((k) => n.variables[k]);
  if (given.length === 0) return 'names no variable';
  return given
    .map((k) => `${POLICY_CREDENTIAL_KEYS[k]} from ${n.variables[k]}${c[k] ? '' : ' (not set)'}`)
    .join(', ');
}

function problemsOf(driver: PlatformDriver, c: Credentials, n: CredentialNames): string[] {
  const problems: string[] = [];
  if (!canAuthenticate(driver, c) && !driver.credentials.auth.some((a) => a.keys.some((k) => c[k]))) {
    const ways = driver.credentials.auth.map((a) => `${names(a.keys, n)} (${a.label})`).join(', or ');
    problems.push(`no credentials for ${driver.product}: set ${ways}`);
  }
  // A half-set way to authenticate matters only when no other way is complete; a half-set optional pair
  // always does (it would be silently unused).
  const pairs = canAuthenticate(driver, c) ? [] : driver.credentials.auth;
  for (const pair of [...pairs, ...(driver.credentials.optional ?? [])]) {
    const set = pair.keys.filter((k) => c[k]);
    if (set.length > 0 && set.length < pair.keys.length) {
      const missing = pair.keys.filter((k) => !c[k]);
      problems.push(`${names(set, n)} is set but ${names(missing, n)} is not; set both or neither`);
    }
  }
  return problems;
}
