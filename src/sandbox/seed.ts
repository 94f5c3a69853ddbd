// Deterministic scenarios: a generator of N users / M groups from a seed and a fixed `now`, and the demo
// organisation `npm run demo` runs against. Same options, same scenario, byte for byte.
import { chance, intBetween, mulberry32, pick, type Random } from './prng.ts';
import type { Scenario, ScenarioGroup, ScenarioUser } from './scenario.ts';
import { ADMIN_GROUP, SOFTWARE_GROUP } from './store.ts';

export interface GeneratorOptions {
  users: number;
  /** Number of team groups besides jira-administrators and jira-software-users. */
  groups: number;
  seed: number;
  /** Ages (last login, creation) are relative to this date, so a seed means the same thing in every run. */
  now: Date;
  /** Names for the first team groups (the rest are generated). */
  groupNames?: string[];
  /** Share of people in the read-only "Corporate LDAP" directory (default 0.25). */
  ldapShare?: number;
}

export const LDAP_DIRECTORY_ID = 10000;
export const LDAP_DIRECTORY_NAME = 'Corporate LDAP';
export const LDAP_GROUP = 'corporate-staff';

const DAY = 86_400_000;
const FIRST = `anna ben carla david elena felix greta hugo ines jonas karin lukas maria noah olga paul
  quinn rosa samuel tina umar vera walter xenia yusuf zoe adrian bianca conrad dana emil frieda gustav
  hanna igor julia kai lena moritz nina oskar petra rafael sofia theo ulla viktor wanda aaron beatrix
  cem dilara erik fatima georg helga ivan jana`.split(/\s+/);
const LAST = `mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter
  klein wolf neumann schwarz zimmermann braun krueger hofmann hartmann lange schmitt werner krause meier
  lehmann schmid schulze maier koehler herrmann koenig walter mayer huber kaiser fuchs peters lang scholz
  moeller weiss jung hahn vogel friedrich keller guenther frank berger winkler roth beck lorenz baumann
  franke albrecht schuster simon ludwig boehm winter kraus martin`.split(/\s+/);
const TEAMS = `engineering product design marketing sales finance people legal support qa data security
  platform mobile web operations research analytics infra payments`.split(/\s+/);
const SERVICES = `backup ci jenkins monitoring confluence-sync reporting automation slack deploy audit
  import scanner`.split(/\s+/);
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'];

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Generates a realistic instance: last logins spread over recent / 30–400 days / older / never. */
export function generateScenario(opts: GeneratorOptions): Scenario {
  const rand = mulberry32(opts.seed);
  const now = opts.now.getTime();
  const teamGroups = teamGroupNames(opts.groups, opts.groupNames ?? []);
  const weights = teamGroups.map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const taken = new Set<string>(['admin']);
  const users: ScenarioUser[] = [];
  const serviceCount = opts.users <= 0 ? 0 : Math.max(1, Math.round(opts.users * 0.02));

  for (let i = 0; i < serviceCount && i < opts.users; i++) users.push(serviceAccount(rand, i, now, taken));
  const humans = opts.users - users.length;
  const adminCount = humans <= 0 ? 0 : Math.max(1, Math.round(humans * 0.01));
  for (let i = 0; i < humans; i++) {
    const user = person(rand, now, taken, opts.ldapShare ?? 0.25);
    user.groups = [SOFTWARE_GROUP, ...pickTeams(rand, teamGroups, weights)];
    if (i < adminCount) user.groups.unshift(ADMIN_GROUP);
    if (user.directory === LDAP_DIRECTORY_ID) user.groups.push(LDAP_GROUP);
    users.push(user);
  }

  const groups: ScenarioGroup[] = teamGroups.map((name) => ({ name }));
  const hasLdap = users.some((u) => u.directory === LDAP_DIRECTORY_ID);
  if (hasLdap) groups.push({ name: LDAP_GROUP, directory: LDAP_DIRECTORY_ID });
  return {
    directories: [
      { id: 1, name: 'Jira Internal Directory', type: 'INTERNAL' },
      { id: LDAP_DIRECTORY_ID, name: LDAP_DIRECTORY_NAME, type: 'LDAP', readOnly: true },
    ],
    groups,
    users,
  };
}

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

function teamGroupNames(count: number, given: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const name = given[i] ?? (i - given.length < TEAMS.length ? TEAMS[i - given.length] : `team-${i + 1}`);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

function pickTeams(rand: Random, teams: string[], weights: number[]): string[] {
  if (teams.length === 0) return [];
  const total = weights.reduce((a, b) => a + b, 0);
  const count = intBetween(rand, 0, Math.min(3, teams.length));
  const chosen = new Set<string>();
  for (let n = 0; n < count; n++) {
    let r = rand() * total;
    for (let i = 0; i < teams.length; i++) {
      r -= weights[i] ?? 0;
      if (r <= 0) {
        chosen.add(teams[i] as string);
        break;
      }
    }
  }
  return [...chosen];
}

function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

function serviceAccount(rand: Random, i: number, now: number, taken: Set<string>): ScenarioUser {
  const service = SERVICES[i] ?? `bot-${i + 1}`;
  const name = unique(`svc-${service}`, taken);
  const created = now - intBetween(rand, 200, 2500) * DAY;
  const never = chance(rand, 0.25);
  return {
    name,
    displayName: `${cap(service)} service account`,
    email: `${name}@example.com`,
    created: iso(created),
    lastLogin: never ? null : iso(now - intBetween(rand, 0, 36 * 3_600_000)),
    loginCount: never ? 0 : intBetween(rand, 500, 90_000),
    groups: [SOFTWARE_GROUP],
    timeZone: 'UTC',
  };
}

function person(rand: Random, now: number, taken: Set<string>, ldapShare: number): ScenarioUser {
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  const ldap = chance(rand, ldapShare);
  const base = chance(rand, 0.3) ? `${first.charAt(0)}${last}` : `${first}.${last}`;
  const name = unique(base, taken);
  const { created, lastLogin } = loginHistory(rand, now);
  const user: ScenarioUser = {
    name,
    displayName: `${cap(first)} ${cap(last)}`,
    email: `${name}@${ldap ? 'corp.example.com' : 'example.com'}`,
    active: true,
    created: iso(created),
    lastLogin: lastLogin === null ? null : iso(lastLogin),
    loginCount: lastLogin === null ? 0 : intBetween(rand, 1, 3000),
    timeZone: pick(rand, ZONES),
  };
  if (ldap) user.directory = LDAP_DIRECTORY_ID;
  const dormantDays = lastLogin === null ? (now - created) / DAY : (now - lastLogin) / DAY;
  if (chance(rand, dormantDays > 180 ? 0.35 : 0.02)) user.active = false;
  // A few renamed accounts: the key keeps the first username (pre-8.4 users were keyed by name).
  if (created < Date.parse('2019-09-01') && chance(rand, 0.04)) {
    user.key = unique(`${first}.${pick(rand, LAST)}`, taken);
  }
  return user;
}

/** Creation and last login: 58% recent, 25% 30–400 days, 5% older, 12% never (a third of them new). */
function loginHistory(rand: Random, now: number): { created: number; lastLogin: number | null } {
  const r = rand();
  const jitter = intBetween(rand, 0, DAY - 1);
  if (r < 0.12) {
    const days = chance(rand, 0.33) ? intBetween(rand, 0, 13) : intBetween(rand, 14, 1500);
    return { created: now - days * DAY - jitter, lastLogin: null };
  }
  const days =
    r < 0.7 ? intBetween(rand, 0, 29) : r < 0.95 ? intBetween(rand, 30, 400) : intBetween(rand, 401, 1500);
  const lastLogin = now - days * DAY - jitter;
  const created = lastLogin - intBetween(rand, 1, 2900 - Math.min(days, 1500)) * DAY;
  return { created, lastLogin };
}
