// Jira's demo organisation, the one `npm run demo` and `aup sandbox` serve by default.
import { generateScenario } from '../../generator.ts';
import type { Scenario } from '../../scenario.ts';
import { ADMIN_GROUP, SOFTWARE_GROUP } from './names.ts';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The demo organisation: ~300 people in developers / contractors / qa / design, some dormant, some never
 * logged in, a read-only LDAP directory, service accounts (svc-backup, svc-ci…) and the `admin` account
 * whose password and token the sandbox sets from its credentials.
 */
export function demoScenario(now: Date): Scenario {
  const scenario = generateScenario({
    users: 300,
    groups: 4,
    seed: 20240611,
    now,
    groupNames: ['developers', 'contractors', 'qa', 'design'],
  });
  const ago = (days: number): string => iso(now.getTime() - days * DAY);
  // Named people the example policy (policies/example.yml) talks about; carol is absent on purpose.
  scenario.users.unshift(
    {
      name: 'admin',
      key: 'admin',
      displayName: 'Jira Administrator',
      email: 'admin@example.com',
      created: ago(6 * 365),
      lastLogin: iso(now.getTime() - 2 * 3_600_000),
      loginCount: 4211,
      groups: [ADMIN_GROUP, SOFTWARE_GROUP],
    },
    {
      name: 'alice',
      displayName: 'Alice Adams',
      created: ago(900),
      lastLogin: ago(1),
      loginCount: 812,
      groups: [SOFTWARE_GROUP, 'developers'],
    },
    {
      name: 'bob',
      displayName: 'Bob Brown',
      created: ago(700),
      lastLogin: ago(120),
      loginCount: 340,
      groups: [SOFTWARE_GROUP],
    },
    {
      name: 'ops-oncall',
      displayName: 'Ops On-Call (shared)',
      created: ago(1200),
      lastLogin: ago(200),
      loginCount: 95,
      groups: [SOFTWARE_GROUP],
    },
  );
  return scenario;
}
