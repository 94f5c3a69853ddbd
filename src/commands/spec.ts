// What each `aup` command accepts and how it is used: the one source of the argument parser, of
// `aup <command> --help` and of the top-level `aup --help`.

import { type CommandOption, type OptionName, type OptionSpec, OPTIONS } from './options.ts';

export { type CliValues, type CommandOption, type OptionName, OPTIONS } from './options.ts';

export interface CommandSpec {
  /** `<policy.yml> [--snapshot FILE] …`: what follows `aup <name>` in the top-level help. */
  synopsis: string;
  /** What it does, a few lines. */
  about: string;
  /** Its options, with a per-command help text (and value placeholder) where the general one does not fit. */
  options: readonly CommandOption[];
  /**
   * What the arguments after the command are: none, one policy file (= --policy), policy files (each its own
   * instance; --policy may be repeated, a quoted glob is expanded), or files.
   */
  positionals: 'none' | 'policy' | 'policies' | 'files';
  examples: readonly string[];
}

const OUT_PLAN = 'write plan.json, plan.csv, inventory.csv and plan.md here';

export const COMMANDS: Record<string, CommandSpec> = {
  validate: {
    synopsis: '<policy.yml...>',
    about: 'Check policies against schema v1; prints every error as file:line:col: field: message.',
    options: [],
    positionals: 'files',
    examples: ['aup validate policies/*.yml'],
  },
  plan: {
    synopsis:
      '<policy.yml>... [--snapshot FILE] [--now ISO] [--out DIR] [--format text|json|markdown]\n' +
      '           [--detailed-exitcode] [--plan-out FILE] [--refusals FILE] [--since FILE] [--history FILE]\n' +
      '           [--url URL]',
    about:
      'Compute what must change. Without --snapshot, reads the live instance (read-only).\n' +
      '--out writes plan.json, plan.csv, inventory.csv and plan.md. --refusals refused.csv (written by\n' +
      'every apply) plans what the instance refused as read-only as skipped, not again as changes.\n' +
      "--since the previous run's inventory.csv reports drift (drift.csv); --history audit.csv (earlier\n" +
      'applies) holds back users re-activated by hand and plans restore_on_return. Several policies\n' +
      '(repeat --policy, or a quoted glob): each instance planned on its own, files in <out>/<policy>/,\n' +
      'file options naming a directory laid out the same way, and a combined summary (out/summary.md).',
    options: [
      'policy',
      'snapshot',
      'now',
      ['out', OUT_PLAN],
      ['format', 'text | json | markdown (default: text)'],
      'detailed-exitcode',
      'plan-out',
      'refusals',
      'since',
      'history',
      'url',
    ],
    positionals: 'policies',
    examples: [
      'aup plan policies/production.yml --out out',
      "aup plan 'policies/*.yml' --out out --since previous --history previous",
      'aup plan policies/production.yml --snapshot out/snapshot.json --now 2026-11-25 --format json',
    ],
  },
  apply: {
    synopsis:
      '<policy.yml>... [--plan FILE | --yes] [--refusals FILE] [--history FILE] [--url URL]\n' +
      '            [--now ISO] [--out DIR] [--trigger manual|automatic|merge]',
    about:
      'Re-read the instance, re-plan, refuse when a limit is exceeded or the reviewed plan is stale,\n' +
      'then apply. --out (default out) gets audit.csv, refused.csv (what the instance refused as\n' +
      "read-only, for the next plans' --refusals) and the re-plan as apply-plan.json, apply-plan.md,\n" +
      'apply-plan.csv and apply-inventory.csv, beside a reviewed plan.json, which is left as it is.\n' +
      'Without --plan it shows the plan and asks for confirmation on a terminal (only "yes" applies);\n' +
      'without a terminal it needs --yes or --plan. Several policies: each instance applied on its own\n' +
      '(one failing stops no other), files in <out>/<policy>/, --plan and the other file options naming\n' +
      'a directory laid out the same way.',
    options: [
      'policy',
      'plan',
      'yes',
      'refusals',
      'history',
      'url',
      'now',
      ['out', 'write audit.csv, refused.csv and the apply-plan.* files here (default: out)'],
      'trigger',
    ],
    positionals: 'policies',
    examples: [
      'aup apply policies/production.yml --plan out/plan.json --out out',
      'aup apply policies/production.yml --yes --trigger automatic',
    ],
  },
  revert: {
    synopsis:
      '<policy.yml> --audit FILE [--out DIR] [--now ISO] [--url URL] [--format text|json|markdown]\n' +
      '             [--apply (--plan FILE | --yes)] [--trigger manual|automatic|merge]',
    about:
      'Plan the inverse of what the runs recorded in an audit.csv applied: reactivate, deactivate, re-add or\n' +
      'remove memberships, re-add access groups, where the instance is not back already. Deletions and\n' +
      'created accounts are listed as irreversible. The policy gives the instance, protections and limits.\n' +
      'Without --apply it reads the instance (read-only) and writes revert-plan.json, revert-plan.md,\n' +
      'revert-plan.csv and revert-inventory.csv to --out; --apply applies it like aup apply, held to a\n' +
      'reviewed --plan FILE (the revert-plan.json) or with --yes, writing audit.csv to --out.',
    options: [
      'policy',
      'audit',
      ['out', 'write the revert plan (or, with --apply, audit.csv and apply-plan.*) here (default: out)'],
      'now',
      'url',
      ['format', 'text | json | markdown (default: text)'],
      'apply',
      ['plan', 'the reviewed revert-plan.json: refuse when the instance now needs a change it does not hold'],
      'yes',
      'trigger',
    ],
    positionals: 'policy',
    examples: [
      'aup revert policies/production.yml --audit out/audit.csv --out revert',
      'aup revert policies/production.yml --audit out/audit.csv --apply --plan revert/revert-plan.json --out revert',
    ],
  },
  list: {
    synopsis:
      '<policy.yml> [--snapshot FILE] [--status active|inactive|all] [--inactive-days N]\n' +
      '         [--never-logged-in] [--group G]... [--name PATTERN] [--email PATTERN] [--directory D]\n' +
      '         [--format table|csv|json] [--now ISO] [--url URL]',
    about:
      'Search users, from one read of the live instance (read-only) or a snapshot file, with the matching\n' +
      "of the policy's select and exclude: every filter given must hold. A table fitting the terminal by\n" +
      'default; csv has the columns of inventory.csv; json is an array of user objects as in a snapshot.',
    options: [
      'policy',
      'snapshot',
      'status',
      'inactive-days',
      'never-logged-in',
      'group',
      'name',
      'email',
      'directory',
      ['format', 'table | csv | json (default: table)'],
      'now',
      'url',
    ],
    positionals: 'policy',
    examples: [
      'aup list policies/production.yml --inactive-days 90 --group jira-software-users',
      "aup list policies/production.yml --status inactive --email '*@contractor.example' --format csv",
    ],
  },
  export: {
    synopsis: '<policy.yml> [--url URL] [--out DIR] [--now ISO]',
    about:
      'Read the instance (read-only, the members of every group) and write inventory.csv (a row per\n' +
      'user), groups.csv (a row per group: members, read-only, managed by the policy) and snapshot.json\n' +
      '(for --snapshot), each streamed as it is written.',
    options: [
      'policy',
      'url',
      ['out', 'write inventory.csv, groups.csv and snapshot.json here (default: out)'],
      'now',
    ],
    positionals: 'policy',
    examples: ['aup export policies/production.yml --out out'],
  },
  dump: {
    synopsis: '<policy.yml> [--groups G,...] [--out FILE] [--snapshot FILE] [--url URL] [--now ISO]',
    about:
      "Write a policy for the policy's instance that reproduces today's state: the named groups as\n" +
      'mode: exact with their members, the administrators protected, and starter inactivity rules,\n' +
      'commented out, each with the number of users it would touch today. Planning it changes nothing.',
    options: [
      'policy',
      ['groups', 'these groups (comma-separated) as mode: exact with their members', 'G,...'],
      ['out', 'write the policy to FILE (default: standard output)', 'FILE'],
      'snapshot',
      'url',
      ['now', 'count the starter rules as of this date or timestamp (default: now)'],
    ],
    positionals: 'policy',
    examples: [
      'aup dump policies/production.yml --groups developers,qa --out policies/adopted.yml',
      'aup dump policies/production.yml --snapshot out/snapshot.json',
    ],
  },
  'import-check': {
    synopsis: '<users.csv...> [--policy FILE] [--snapshot FILE] [--url URL]',
    about:
      "Check CSV files for a policy's import: without --policy the file alone (encoding, header,\n" +
      'delimiter, quoting, duplicates, emails, states); with --policy also against the policy and its\n' +
      'instance (live, read-only, or --snapshot): unknown groups, users that cannot be created. Prints\n' +
      'every problem as file:line:column: field: message.',
    options: [
      ['policy', 'also check the files as imports of this policy, against its instance'],
      'snapshot',
      'url',
    ],
    positionals: 'files',
    examples: ['aup import-check users.csv', 'aup import-check users.csv --policy policies/production.yml'],
  },
  sandbox: {
    synopsis:
      '[--platform jira-dc|confluence-dc|crowd|bitbucket-dc|cloud] [--version V] [--port N]\n' +
      '              [--scenario FILE | --users N --groups M --seed S] [--context-path /jira]\n' +
      '              [--rate-limit R] [--faults SHARE] [--resets SHARE] [--latency MS]\n' +
      '              [--max-page-size N] [--token T] [--app-password P] [--now ISO]',
    about:
      'Serve the embedded Atlassian emulator until stopped (Ctrl+C, SIGTERM): Jira DC (default;\n' +
      '9.12|10.3|11.3), Confluence DC (8.5|9.2|9.5|10.2), Crowd (5.3|6.1), Bitbucket DC\n' +
      "(8.19|9.4|10.0) or a Cloud organisation's admin API (v2); prints its URL and credentials.\n" +
      "Without --scenario or --users it serves the product's demo organisation.",
    options: [
      'platform',
      'version',
      'port',
      'scenario',
      'users',
      'groups',
      'seed',
      'context-path',
      'rate-limit',
      'faults',
      'resets',
      'latency',
      'max-page-size',
      'token',
      'app-password',
      ['now', '"today" of the generated data (default: now)'],
    ],
    positionals: 'none',
    examples: ['aup sandbox --port 8080 --token demo-token --app-password demo-app'],
  },
  demo: {
    synopsis:
      '[--platform jira-dc|confluence-dc|crowd|bitbucket-dc|cloud] [--out DIR] [--now ISO] [--policy FILE]',
    about:
      "Plan and apply the platform's example policy (jira-dc: policies/example.yml, others:\n" +
      'policies/examples/<platform>.yml) against its seeded sandbox; writes out/.',
    options: [
      ['platform', 'jira-dc | confluence-dc | crowd | bitbucket-dc | cloud (default: jira-dc)'],
      ['out', 'write the files here (default: out)'],
      'now',
      ['policy', "default: the platform's example policy"],
    ],
    positionals: 'none',
    examples: ['aup demo --out out'],
  },
  version: {
    synopsis: '',
    about: "Print aup's version (also: aup --version).",
    options: [],
    positionals: 'none',
    examples: ['aup --version'],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

export function optionNames(spec: CommandSpec): OptionName[] {
  return [...spec.options.map((o) => (Array.isArray(o) ? o[0] : o)), 'help'];
}

function optionLines(spec: CommandSpec): string[] {
  const rows = [...spec.options, 'help' as const].map((o) => {
    const [name, help, value] = Array.isArray(o) ? o : [o, OPTIONS[o].help];
    const def: OptionSpec = OPTIONS[name];
    const flag = `${def.short ? `-${def.short}, ` : '    '}--${name}${def.type === 'string' ? ` ${value ?? def.value}` : ''}`;
    return [flag, help] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`);
}

/** `aup <command> --help`. */
export function commandHelp(name: string): string {
  const spec = COMMANDS[name]!;
  return [
    `Usage: aup ${name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`,
    '',
    spec.about,
    '',
    'Options:',
    ...optionLines(spec),
    '',
    spec.examples.length === 1 ? 'Example:' : 'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** `aup --help`: every command's synopsis and what it does. */
export function topLevelHelp(): string {
  const commands = Object.entries(COMMANDS).flatMap(([name, spec]) => [
    `  aup ${name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`,
    ...spec.about.split('\n').map((l) => `      ${l}`),
  ]);
  return `aup — Atlassian User Policy: user lifecycle management as policy-as-code

Usage:
${commands.join('\n')}

  aup <command> --help prints a command's options and an example. The policy file may be given
  as the argument or with --policy.

Credentials come from the environment, never from the policy:
  ATLASSIAN_TOKEN (Bearer PAT; on Cloud the organisation API key) or ATLASSIAN_USERNAME +
  ATLASSIAN_PASSWORD (Basic);
  ATLASSIAN_APP_NAME + ATLASSIAN_APP_PASSWORD (optional: login times from Jira's embedded Crowd);
  ATLASSIAN_URL (or --url) overrides the policy's instance.url.
  A policy with instance.credentials reads its own variables instead (and no ATLASSIAN_* variable):
  instance: { credentials: { token: JIRA_PROD_TOKEN } } — names, never values.

Progress of long reads and applies goes to stderr: a live line on a terminal, a plain line every
few seconds otherwise. AUP_DEBUG=1 adds stack traces to unexpected errors.

Exit codes: 0 ok; 1 error, invalid input, a refused or cancelled apply, or a plan over its limits;
2 with --detailed-exitcode when the plan has changes.`;
}
