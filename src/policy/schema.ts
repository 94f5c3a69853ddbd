// Policy v1: the contract. The zod schema is the single source; schema/policy.v1.json is generated from it.
import { z } from 'zod';
import { PLATFORMS } from '../model.ts';

const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');
const names = z.array(nonEmpty);
const positiveInt = z
  .number({ error: (iss) => expected('a positive integer', iss.input) })
  .int({ error: (iss) => expected('a positive integer', iss.input) })
  .positive({ error: (iss) => expected('a positive integer', iss.input) });
const nonNegativeInt = z
  .number({ error: (iss) => expected('a non-negative integer', iss.input) })
  .int({ error: (iss) => expected('a non-negative integer', iss.input) })
  .min(0, { error: (iss) => expected('a non-negative integer', iss.input) });
/** YAML reads an unquoted 2027-01-31 as a string (yaml 1.2 core schema); accept only real calendar dates. */
const isoDate = z
  .string({ error: (iss) => expected('a date YYYY-MM-DD', iss.input) })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: (iss) => expected('a date YYYY-MM-DD', iss.input) })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      error: (iss) => expected('a valid calendar date', iss.input),
    },
  );

function expected(what: string, input: unknown): string {
  if (input === undefined) return `required field is missing (expected ${what})`;
  return `expected ${what}, got ${describe(input)}`;
}

export function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (typeof input === 'string') return JSON.stringify(input);
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

/** The name of an environment variable (never its value): letters, digits and _, not starting with a digit. */
const envName = z
  .string({ error: (iss) => expected('the name of an environment variable', iss.input) })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (iss) =>
      expected(
        'the name of an environment variable (letters, digits, _), not its value',
        typeof iss.input === 'string' ? '(a value that is not a variable name)' : iss.input,
      ),
  });

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => expected(`one of ${values.join(' | ')}`, iss.input) });
}

const activity = z.strictObject({
  source: oneOf(['auto', 'csv']).default('auto'),
  /** CSV with columns username,last_login (ISO date or timestamp; empty = never logged in). */
  csv: nonEmpty.optional(),
  /**
   * Products whose activity counts, where the platform reports activity per product (Cloud:
   * `jira-software`, `confluence`, …); the latest of them is the user's last activity. Default: all.
   */
  products: names.optional(),
});

const instance = z.strictObject({
  platform: oneOf(PLATFORMS),
  url: z.url({ protocol: /^https?$/, error: (iss) => expected('an http(s) URL', iss.input) }).optional(),
  activity: activity.default({ source: 'auto' }),
  external_directories: names.default([]),
  access_groups: names.default([]),
  /** crowd: only users of these directories are read and managed (directory names; needs admin credentials). */
  directories: names.optional(),
  /** cloud (required there): the organisation id, the UUID in admin.atlassian.com/o/<id>/…. */
  org: nonEmpty.optional(),
  /** cloud: the one directory to manage (its id or name); default every directory the API key manages. */
  directory: nonEmpty.optional(),
  /**
   * Plain http to a host other than this machine sends the credentials in clear: refused unless this is true.
   * Loopback addresses (localhost, 127.0.0.0/8, ::1) may always use http.
   */
  allow_insecure_http: z.boolean({ error: (iss) => expected('true or false', iss.input) }).default(false),
  /**
   * One apply per instance at a time: an apply records a lease in marker groups of the instance (aup-lease-*)
   * and refuses while another holds it. false: no lease (serialise applies another way).
   */
  lease: z.boolean({ error: (iss) => expected('true or false', iss.input) }).default(true),
  /**
   * The environment variables that hold this instance's credentials (their names, never the values), so one
   * repository can hold the policies of several instances. Given: only these variables are read (neither the
   * ATLASSIAN_* defaults nor ATLASSIAN_URL). Absent: the ATLASSIAN_* defaults.
   */
  credentials: z
    .strictObject({
      token: envName.optional(),
      username: envName.optional(),
      password: envName.optional(),
      app_name: envName.optional(),
      app_password: envName.optional(),
    })
    .optional(),
});

const select = z.strictObject({
  groups: names.optional(),
  directories: names.optional(),
  emails: names.optional(),
  status: oneOf(['active', 'inactive', 'any']).optional(),
});

const exclude = z.strictObject({
  groups: names.default([]),
  users: names.default([]),
  emails: names.default([]),
});

const inactivityRule = z.strictObject({
  name: nonEmpty,
  inactive_days: positiveInt,
  action: oneOf(['deactivate', 'remove-access', 'delete']),
  select: select.default({}),
  exclude: exclude.default({ groups: [], users: [], emails: [] }),
  never_logged_in: z.strictObject({ grace_days: nonNegativeInt }).optional(),
  /**
   * remove-access only: a user whose access this rule removed (the audit of earlier runs says so) and who has
   * been active since gets the access groups back, as a planned add-member change.
   */
  restore_on_return: z.boolean({ error: (iss) => expected('true or false', iss.input) }).default(false),
});

const group = z.strictObject({
  mode: oneOf(['exact', 'additive']),
  members: names.default([]),
});

const userState = oneOf(['active', 'inactive', 'absent']);

const declaredUser = z.strictObject({
  name: nonEmpty,
  email: z.email({ error: (iss) => expected('an email address', iss.input) }).optional(),
  display_name: nonEmpty.optional(),
  state: userState.default('active'),
  groups: names.default([]),
});

const fraction = z
  .number({ error: (iss) => expected('a number between 0 and 1', iss.input) })
  .min(0, { error: (iss) => expected('a number between 0 and 1', iss.input) })
  .max(1, { error: (iss) => expected('a number between 0 and 1', iss.input) });

const limits = z.strictObject({
  max_changes: nonNegativeInt.optional(),
  max_deactivations: nonNegativeInt.optional(),
  max_deletions: nonNegativeInt.default(0),
  max_removals: nonNegativeInt.optional(),
  max_fraction: fraction.default(0.1),
});

const price = z
  .number({ error: (iss) => expected('a number', iss.input) })
  .nonnegative({ error: (iss) => expected('a non-negative number', iss.input) });

const report = z.strictObject({
  upcoming_days: nonNegativeInt.default(14),
  /**
   * What a freed seat costs: one `amount` per seat, or (cloud, which bills per product) a price per product
   * in `products` (product key → price); one of the two.
   */
  seat_cost: z
    .strictObject({
      amount: price.optional(),
      products: z.record(nonEmpty, price).optional(),
      currency: nonEmpty,
      per: oneOf(['month', 'year']).default('month'),
    })
    .optional(),
});

/** `extends: ./common.yml` or a list: fragments merged into the including file (paths relative to it). */
const extendsPaths = z.union([nonEmpty, z.array(nonEmpty).min(1, 'expected at least one path')], {
  error: (iss) => expected('a path or a list of paths of fragments (relative to this file)', iss.input),
});

const protect = z.strictObject({ users: names.default([]), groups: names.default([]) });
const exceptions = z.array(z.strictObject({ user: nonEmpty, until: isoDate, reason: nonEmpty }));
/** A user an admin re-activated after this tool deactivated it is left alone this many days. */
const cooldown = nonNegativeInt;

export const policySchema = z.strictObject({
  version: z.literal(1, { error: (iss) => expected('1 (the only policy version)', iss.input) }),
  extends: extendsPaths.optional(),
  instance,
  protect: protect.default({ users: [], groups: [] }),
  exceptions: exceptions.default([]),
  inactivity: z.array(inactivityRule).default([]),
  reactivation_cooldown_days: cooldown.default(14),
  groups: z.record(nonEmpty, group).default({}),
  users: z.array(declaredUser).default([]),
  import: z.array(z.strictObject({ csv: nonEmpty })).default([]),
  limits: limits.default({ max_deletions: 0, max_fraction: 0.1 }),
  report: report.default({ upcoming_days: 14 }),
});

/** The keys a fragment (a file named by `extends`) may hold; everything else belongs to the including policy. */
export const FRAGMENT_KEYS = [
  'extends',
  'protect',
  'exceptions',
  'inactivity',
  'reactivation_cooldown_days',
  'limits',
  'report',
] as const;

/**
 * A fragment: common rules written once and merged into every policy that extends it (the including file wins on
 * conflicts). No defaults: a key a fragment does not set leaves the including file's value alone.
 */
export const fragmentSchema = z.strictObject({
  extends: extendsPaths.optional(),
  protect: z.strictObject({ users: names.optional(), groups: names.optional() }).optional(),
  exceptions: exceptions.optional(),
  inactivity: z.array(inactivityRule).optional(),
  reactivation_cooldown_days: cooldown.optional(),
  limits: limits.partial().optional(),
  report: report.partial().optional(),
});

export type Policy = z.output<typeof policySchema>;
export type InactivityRule = Policy['inactivity'][number];
export type DeclaredUserSpec = Policy['users'][number];
export type UserState = DeclaredUserSpec['state'];
