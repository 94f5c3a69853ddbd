// The Confluence sandbox tests' organisation and response shapes. `admin` (the token's owner, in
// confluence-administrators and confluence-users) is added by the sandbox and logs in with every request.
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

export function confluenceOrg(): Scenario {
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
    groups: [{ name: 'developers' }, { name: 'ldap-staff', directory: LDAP }],
    users: [
      { ...user('alice', daysAgo(2), ['confluence-users', 'developers']), password: 'wonderland' },
      user('bob', daysAgo(200), ['confluence-users']),
      { ...user('carol', daysAgo(10), ['confluence-users', 'ldap-staff']), directory: LDAP },
      user('dave', null, ['confluence-users']),
      { ...user('erin', daysAgo(500), ['confluence-users']), active: false },
      // No "Can use": in a team group only.
      { ...user('frank', daysAgo(5), ['developers']), password: 'frank' },
      user('gina', daysAgo(30), ['confluence-users']),
    ],
  };
}

export async function withConfluence(
  options: Partial<SandboxOptions>,
  fn: (sb: SandboxHandle) => Promise<void>,
): Promise<void> {
  const sb = await startSandbox({
    platform: 'confluence-dc',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: confluenceOrg(),
    ...options,
  });
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

export interface Person {
  type: string;
  username: string;
  userKey: string;
  displayName: string;
  profilePicture: { path: string; width: number; height: number; isDefault: boolean };
  status?: string;
  email?: string;
  lastLogin?: string | number;
  _links: { self: string };
  _expandable?: Record<string, string>;
}

export interface Page<T> {
  results: T[];
  start: number;
  limit: number;
  size: number;
  _links: { base: string; context: string; self: string; next?: string; prev?: string };
}

export interface ConfluenceErrorBody {
  statusCode: number;
  data: {
    authorized: boolean;
    valid: boolean;
    allowedInReadOnlyMode: boolean;
    errors: unknown[];
    successful: boolean;
  };
  message: string;
  reason: string;
}

export interface LongTaskStatus {
  id: string;
  name: { key: string; args: unknown[]; translation: string };
  elapsedTime: number;
  percentageComplete: number;
  successful: boolean;
  finished: boolean;
  messages: { key: string; translation: string }[];
}
