// Every option of every `aup` command: its type, the placeholder of its value and its help. Each command takes a
// subset (spec.ts, CommandSpec.options).

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given several times (`--group a --group b`): its value is the list. */
  multiple?: boolean;
  /** The placeholder of its value in usage lines (`FILE`), for string options. */
  value?: string;
  help: string;
}

/** Every option of every command; each command takes a subset (`CommandSpec.options`). */
export const OPTIONS = {
  policy: { type: 'string', value: 'FILE', help: 'the policy file (or give it as the argument)' },
  snapshot: {
    type: 'string',
    value: 'FILE',
    help: 'read users from a snapshot file (aup export writes one) instead of the live instance',
  },
  plan: {
    type: 'string',
    value: 'FILE',
    help: 'the reviewed plan.json: refuse when the live instance needs a change it does not hold',
  },
  refusals: {
    type: 'string',
    value: 'FILE',
    help: 'refused.csv of an earlier apply: changes the instance refused as read-only are planned as skipped',
  },
  since: {
    type: 'string',
    value: 'FILE',
    help: "the previous run's inventory.csv: report what changed on the instance outside the policy since (drift.csv)",
  },
  history: {
    type: 'string',
    value: 'FILE',
    help: 'audit.csv of earlier applies (appended run after run): hold back users re-activated by hand, welcome back',
  },
  audit: {
    type: 'string',
    value: 'FILE',
    help: "the audit.csv of the run(s) to revert (an apply's --out, or the Action's artifact)",
  },
  apply: {
    type: 'boolean',
    help: 'apply the revert plan (with --plan FILE or --yes), instead of only planning it',
  },
  yes: {
    type: 'boolean',
    short: 'y',
    help: 'apply without asking (needed without a terminal, unless --plan is given)',
  },
  now: { type: 'string', value: 'ISO', help: 'plan as of this date or timestamp (default: now)' },
  out: { type: 'string', value: 'DIR', help: 'write the files here' },
  format: { type: 'string', value: 'FORMAT', help: 'output format' },
  'detailed-exitcode': { type: 'boolean', help: 'exit 2 when the plan has changes (0 when it has none)' },
  'plan-out': { type: 'string', value: 'FILE', help: 'also write the plan as JSON to FILE' },
  url: {
    type: 'string',
    value: 'URL',
    help: "the instance's base URL (default: ATLASSIAN_URL, else the policy's instance.url; Cloud: https://api.atlassian.com)",
  },
  trigger: {
    type: 'string',
    value: 'manual|automatic|merge',
    help: 'what started the run, recorded in audit.csv (default: manual)',
  },
  'inactive-days': {
    type: 'string',
    value: 'N',
    help: 'only users inactive N days or more (never logged in: since creation; unknown activity never counts)',
  },
  status: {
    type: 'string',
    value: 'active|inactive|all',
    help: 'only active or only deactivated accounts (default: all)',
  },
  'never-logged-in': {
    type: 'boolean',
    help: 'only users who never logged in (as far as the activity source knows)',
  },
  group: {
    type: 'string',
    value: 'G',
    multiple: true,
    help: 'only members of group G; repeat it for members of any of several',
  },
  name: {
    type: 'string',
    value: 'PATTERN',
    help: 'only users whose username or display name matches (* and ?, case-insensitive)',
  },
  email: {
    type: 'string',
    value: 'PATTERN',
    help: "only users whose email matches (* and ?, case-insensitive), as a rule's select.emails",
  },
  directory: { type: 'string', value: 'D', help: 'only users of the user directory D' },
  port: { type: 'string', value: 'N', help: 'listen on this port of 127.0.0.1 (default: a free one)' },
  platform: {
    type: 'string',
    value: 'jira-dc|confluence-dc|crowd|bitbucket-dc|cloud',
    help: 'the product to emulate (default: jira-dc)',
  },
  version: {
    type: 'string',
    value: 'V',
    help: "the product's version: Jira 9.12|10.3|11.3, Confluence 8.5|9.2|9.5|10.2, Crowd 5.3|6.1, Bitbucket 8.19|9.4|10.0, Cloud v2",
  },
  scenario: { type: 'string', value: 'FILE', help: 'seed from a scenario JSON file' },
  users: { type: 'string', value: 'N', help: 'generate N users instead of the demo organisation' },
  groups: { type: 'string', value: 'M', help: 'with --users: generate M groups (default: 5)' },
  seed: { type: 'string', value: 'S', help: 'with --users: the generator seed (default: 1)' },
  'context-path': { type: 'string', value: '/jira', help: 'serve under this context path' },
  'rate-limit': {
    type: 'string',
    value: 'R',
    help: 'allow R requests per second (429 with Retry-After beyond)',
  },
  faults: { type: 'string', value: 'SHARE', help: 'answer that share (0–1) of requests with 500/502/503' },
  resets: { type: 'string', value: 'SHARE', help: 'reset that share (0–1) of connections' },
  latency: { type: 'string', value: 'MS', help: 'add MS milliseconds to every answer' },
  'max-page-size': { type: 'string', value: 'N', help: 'cap page sizes at N' },
  token: { type: 'string', value: 'T', help: "the administrator's token (random otherwise)" },
  'app-password': {
    type: 'string',
    value: 'P',
    help: 'the embedded-Crowd application password (random otherwise)',
  },
  help: { type: 'boolean', short: 'h', help: "this command's usage" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** Parsed option values: every option any command takes, each optional (a command sees only its own). */
export type CliValues = {
  -readonly [K in OptionName]?: (typeof OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** An option of a command: its name, or its name with the command's own help (and value placeholder). */
export type CommandOption = OptionName | [OptionName, string] | [OptionName, string, string];
