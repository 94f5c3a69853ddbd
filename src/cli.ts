// The `aup` command line: the same engine as the Action, for admins' terminals and any CI.
import { parseArgs } from 'node:util';
import { formatDiagnostic, PolicyError } from './policy/diagnostics.ts';
import {
  CliError,
  type Io,
  type OutputFormat,
  planFromSnapshotCommand,
  validateCommand,
} from './commands/plan.ts';
import { commands as liveCommands } from './commands/registry.ts';

export const HELP = `aup — Atlassian User Policy: user lifecycle management as policy-as-code

Usage:
  aup validate <policy.yml...>
      Check policies against schema v1; prints every error as file:line:col: field: message.
  aup plan --policy P [--snapshot S.json] [--now ISO] [--out DIR] [--format text|json|markdown]
           [--detailed-exitcode] [--url URL]
      Compute what must change. Without --snapshot, reads the live instance (read-only).
      --out writes plan.json, plan.csv, inventory.csv and plan.md.
      --refusals refused.csv (written by every apply) plans the changes the instance refused as
      read-only as skipped instead of planning them again.
  aup apply --policy P [--plan plan.json] [--refusals refused.csv] [--url URL] [--now ISO] [--out DIR]
            [--trigger manual|automatic|merge]
      Re-read the instance, re-plan, refuse when a limit is exceeded or the reviewed plan is stale,
      then apply. --out (default out) gets audit.csv, refused.csv (what the instance refused as
      read-only, for the next plans' --refusals) and the re-plan as apply-plan.json, apply-plan.md,
      apply-plan.csv and apply-inventory.csv, beside a reviewed plan.json, which is left as it is.
  aup list --policy P [--snapshot S.json] [--inactive-days N] [--format text|csv]
      List users with their last activity (from a snapshot file, or the live instance, read-only).
  aup export --policy P [--url URL] [--out DIR]
      Read the instance and write snapshot.json and inventory.csv.
  aup sandbox [--platform jira-dc|confluence-dc|crowd] [--version V] [--port N]
              [--scenario FILE | --users N --groups M --seed S] [--context-path /jira]
              [--rate-limit R] [--faults SHARE] [--resets SHARE] [--latency MS]
              [--max-page-size N] [--token T] [--app-password P]
      Serve the embedded Atlassian emulator until stopped: Jira DC (default; 9.12|10.3|11.3) or
      Confluence DC (8.5|9.2|9.5|10.2); prints its URL and credentials. Without --scenario or
      --users it serves the product's demo organisation. --rate-limit R
      allows R requests per second (429 with Retry-After beyond); --faults answers that share of
      requests with 500/502/503; --resets resets that share of connections; --token and
      --app-password fix the administrator's token and the embedded-Crowd application password
      (random otherwise).
  aup demo [--platform jira-dc|confluence-dc|crowd] [--out DIR] [--now ISO] [--policy P]
      Plan and apply the platform's example policy (jira-dc: policies/example.yml, others:
      policies/examples/<platform>.yml) against its seeded sandbox; writes out/.

Credentials come from the environment, never from the policy:
  ATLASSIAN_TOKEN (Bearer PAT) or ATLASSIAN_USERNAME + ATLASSIAN_PASSWORD (Basic);
  ATLASSIAN_URL (or --url) overrides the policy's instance.url.

Exit codes: 0 ok; 1 error, invalid input or a plan over its limits; 2 with --detailed-exitcode
when the plan has changes.`;

const options = {
  policy: { type: 'string' },
  snapshot: { type: 'string' },
  plan: { type: 'string' },
  now: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string', default: 'text' },
  'detailed-exitcode': { type: 'boolean', default: false },
  'plan-out': { type: 'string' },
  url: { type: 'string' },
  trigger: { type: 'string' },
  port: { type: 'string' },
  users: { type: 'string' },
  groups: { type: 'string' },
  seed: { type: 'string' },
  version: { type: 'string' },
  platform: { type: 'string' },
  scenario: { type: 'string' },
  token: { type: 'string' },
  'app-password': { type: 'string' },
  'inactive-days': { type: 'string' },
  'context-path': { type: 'string' },
  'rate-limit': { type: 'string' },
  faults: { type: 'string' },
  resets: { type: 'string' },
  latency: { type: 'string' },
  'max-page-size': { type: 'string' },
  refusals: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type CliValues = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new CliError(`--now: expected an ISO date or timestamp, got ${JSON.stringify(value)}`);
  return d;
}

function parseFormat(value: string | undefined): OutputFormat {
  if (value === 'text' || value === 'json' || value === 'markdown') return value;
  throw new CliError(`--format: expected text | json | markdown, got ${JSON.stringify(value)}`);
}

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`aup: ${(e as Error).message}\nRun aup --help for usage.`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    io.out(HELP);
    return command || values.help ? 0 : 1;
  }
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(rest, io);
      case 'plan':
        if (!values.policy) throw new CliError('plan needs --policy <file>');
        if (values.snapshot) {
          return await planFromSnapshotCommand(
            {
              policy: values.policy,
              snapshot: values.snapshot,
              now: parseNow(values.now),
              format: parseFormat(values.format),
              outDir: values.out,
              detailedExitcode: values['detailed-exitcode'],
              planOut: values['plan-out'],
              refusals: values.refusals,
            },
            io,
          );
        }
        return await liveCommands.plan(values, io);
      default: {
        const live = liveCommands[command];
        if (!live) throw new CliError(`unknown command ${JSON.stringify(command)}; run aup --help`);
        return await live(values, io);
      }
    }
  } catch (e) {
    if (e instanceof PolicyError) {
      for (const d of e.diagnostics) io.err(formatDiagnostic(d));
      return 1;
    }
    if (e instanceof CliError) {
      io.err(`aup: ${e.message}`);
      return e.exitCode;
    }
    io.err(`aup: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
