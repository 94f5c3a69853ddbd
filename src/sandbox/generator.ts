// Deterministic scenarios: a generator of N users / M groups from a seed and a fixed `now`, for any product
// (its admin and default access groups are options; Jira's by default). Products build their demo
// organisations on it. Same options, same scenario, byte for byte.
import { ADMIN_GROUP, INTERNAL_DIRECTORY_NAME, SOFTWARE_GROUP } from './products/jira-dc/names.ts';
import { chance, intBetween, mulberry32, pick, type Random } from './prng.ts';
import type { Scenario, ScenarioGroup, ScenarioUser } from './scenario.ts';

export interface GeneratorOptions {
  users: number;
  /** Number of team groups besides the admin and access groups. */
  groups: number;
  seed: number;
  /** Ages (last login, creation) are relative to this date, so a seed means the same thing in every run. */
  now: Date;
  /** Names for the first team groups (the rest are generated). */
  groupNames?: string[];
  /** Share of people in the read-only "Corporate LDAP" directory (default 0.25). */
  ldapShare?: number;
  /** The group granting product access that everyone joins (default jira-software-users). */
  accessGroup?: string;
  /** The administrators' group (default jira-administrators). */
  adminGroup?: string;
  /** Name of directory 1 (default Jira Internal Directory). */
  internalDirectoryName?: string;
  /**
   * A few accounts created before 2019-09 were renamed and keep their first username as key (Jira before
   * 8.4 keyed users by name); default true. Products with opaque keys (Confluence) turn it off.
   */
  legacyKeys?: boolean;
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
  const access = opts.accessGroup ?? SOFTWARE_GROUP;
  const admin = opts.adminGroup ?? ADMIN_GROUP;
  const now = opts.now.getTime();
  const teamGroups = teamGroupNames(opts.groups, opts.groupNames ?? []);
  const weights = teamGroups.map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const taken = new Set<string>(['admin']);
  const users: ScenarioUser[] = [];
  const serviceCount = opts.users <= 0 ? 0 : Math.max(1, Math.round(opts.users * 0.02));

  for (let i = 0; i < serviceCount && i < opts.users; i++)
    users.push(serviceAccount(rand, i, now, taken, access));
  const humans = opts.users - users.length;
  const adminCount = humans <= 0 ? 0 : Math.max(1, Math.round(humans * 0.01));
  for (let i = 0; i < humans; i++) {
    const user = person(rand, now, taken, opts.ldapShare ?? 0.25, opts.legacyKeys ?? true);
    user.groups = [access, ...pickTeams(rand, teamGroups, weights)];
    if (i < adminCount) user.groups.unshift(admin);
    if (user.directory === LDAP_DIRECTORY_ID) user.groups.push(LDAP_GROUP);
    users.push(user);
  }

  const groups: ScenarioGroup[] = teamGroups.map((name) => ({ name }));
  const hasLdap = users.some((u) => u.directory === LDAP_DIRECTORY_ID);
  if (hasLdap) groups.push({ name: LDAP_GROUP, directory: LDAP_DIRECTORY_ID });
  return {
    directories: [
      { id: 1, name: opts.internalDirectoryName ?? INTERNAL_DIRECTORY_NAME, type: 'INTERNAL' },
      { id: LDAP_DIRECTORY_ID, name: LDAP_DIRECTORY_NAME, type: 'LDAP', readOnly: true },
    ],
    groups,
    users,
  };
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

function serviceAccount(
  rand: Random,
  i: number,
  now: number,
  taken: Set<string>,
  accessGroup: string,
): ScenarioUser {
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
    groups: [accessGroup],
    timeZone: 'UTC',
  };
}

function person(
  rand: Random,
  now: number,
  taken: Set<string>,
  ldapShare: number,
  legacyKeys: boolean,
): ScenarioUser {
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
    const key = unique(`${first}.${pick(rand, LAST)}`, taken);
    if (legacyKeys) user.key = key;
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
