// The Bitbucket sandbox tests' organisation and response shapes. `admin` (the token's owner) is added by
// the sandbox with SYS_ADMIN granted directly and logs in with every request.
import {
  startSandbox,
  type SandboxHandle,
  type SandboxOptions,
  type Scenario,
} from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

export const DAY = 86_400_000;
export const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();
export const LDAP = 10000;
export const API = '/rest/api/1.0';

/**
 * alice (stash-users, developers), bob (stash-users and LICENSED_USER directly), carol (read-only LDAP,
 * licensed through the LDAP group ldap-staff), dave (never authenticated), erin (inactive), frank (no
 * licence at all), gina (licensed directly only), root (sys-admins: SYS_ADMIN), ci-bot (type SERVICE),
 * pat (ADMIN directly).
 */
export function bitbucketOrg(): Scenario {
  const user = (name: string, lastLogin: string | null, groups: string[]) => ({
    name,
    displayName: name.charAt(0).toUpperCase() + name.slice(1),
    email: `${name}@example.com`,
    created: daysAgo(900),
    lastLogin,
    groups,
  });
  return {
    directories: [{ id: LDAP, name: 'Corporate LDAP', type: 'LDAP', readOnly: true }],
    groups: [{ name: 'developers' }, { name: 'sys-admins' }, { name: 'ldap-staff', directory: LDAP }],
    users: [
      { ...user('alice', daysAgo(2), ['stash-users', 'developers']), password: 'wonderland' },
      user('bob', daysAgo(200), ['stash-users']),
      { ...user('carol', daysAgo(300), ['ldap-staff', 'stash-users']), directory: LDAP },
      user('dave', null, ['stash-users']),
      { ...user('erin', daysAgo(500), ['stash-users']), active: false },
      { ...user('frank', daysAgo(5), []), password: 'frank', email: null },
      user('gina', daysAgo(150), []),
      user('root', daysAgo(1), ['sys-admins', 'stash-users']),
      user('ci-bot', daysAgo(400), ['stash-users']),
      user('pat', daysAgo(3), []),
    ],
    globalPermissions: {
      users: { bob: 'LICENSED_USER', gina: 'LICENSED_USER', pat: 'ADMIN' },
      groups: { 'ldap-staff': 'LICENSED_USER' },
    },
    serviceUsers: ['ci-bot'],
  };
}

export async function withBitbucket(
  options: Partial<SandboxOptions>,
  fn: (sb: SandboxHandle) => Promise<void>,
): Promise<void> {
  const sb = await startSandbox({
    platform: 'bitbucket-dc',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: bitbucketOrg(),
    ...options,
  });
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

export interface BitbucketPage<T> {
  size: number;
  limit: number;
  isLastPage: boolean;
  values: T[];
  start: number;
  nextPageStart?: number;
}

export interface DetailedUser {
  name: string;
  emailAddress?: string;
  id: number;
  displayName: string;
  active: boolean;
  slug: string;
  type: 'NORMAL' | 'SERVICE';
  directoryName: string;
  deletable: boolean;
  lastAuthenticationTimestamp?: number;
  mutableDetails: boolean;
  mutableGroups: boolean;
  links: { self: { href: string }[] };
}

export interface BitbucketErrors {
  errors: { context: string | null; message: string; exceptionName: string | null }[];
}
