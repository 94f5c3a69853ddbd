// The `aup` command line: the same engine as the Action, for admins' terminals and any CI.
import { formatDiagnostic, PolicyError } from './policy/diagnostics.ts';
import {
  CliError,
  type Io,
  type OutputFormat,
  planFromSnapshotCommand,
  validateCommand,
} from './commands/plan.ts';
import { commands as liveCommands, several } from './commands/registry.ts';
import { readFile } from 'node:fs/promises';
import { expandPolicies, parseCommandLine, type ParsedCommandLine } from './commands/args.ts';
import { fragmentsAmong } from './policy/extends.ts';
import { topLevelHelp } from './commands/spec.ts';
import { VERSION } from './commands/version.ts';
import { describeUnexpected } from './commands/failure.ts';
import { clipLines } from './report/escape.ts';

export const HELP = topLevelHelp();

export type { CliValues } from './commands/spec.ts';

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new CliError(`--now: expected an ISO date or timestamp, got ${JSON.stringify(value)}`);
  return d;
}

export function parseFormat(value: string | undefined): OutputFormat {
  if (value === 'text' || value === 'json' || value === 'markdown') return value;
  throw new CliError(`--format: expected text | json | markdown, got ${JSON.stringify(value)}`);
}

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    io.err(`aup: ${e.message}`);
    return 1;
  }
  if (parsed.kind === 'help') {
    io.out(parsed.text);
    return parsed.exitCode;
  }
  if (parsed.kind === 'version') {
    io.out(`aup ${VERSION}`);
    return 0;
  }
  const { command, values, positionals: rest } = parsed;
  let { policies } = parsed;
  try {
    if ((command === 'plan' || command === 'apply') && policies.length > 1) {
      // A glob matches the fragments too: they are planned with the policies that extend them.
      const fragments = await fragmentsAmong(policies, (f) => readFile(f, 'utf8'));
      for (const [file, by] of fragments) io.err(`${file}: a fragment, planned with ${by.join(', ')}`);
      policies = policies.filter((p) => !fragments.has(p));
      values.policy = policies[0];
    }
    if ((command === 'plan' || command === 'apply') && policies.length > 1) {
      if (values.snapshot)
        throw new CliError(
          `--snapshot is the snapshot of one instance, and ${policies.length} policies were given; plan them one at a time`,
        );
      return await several(command, policies, values, io);
    }
    switch (command) {
      case 'validate':
        return await validateCommand(expandPolicies('validate', rest), io);
      case 'plan':
        if (values.snapshot && values.policy) {
          return await planFromSnapshotCommand(
            {
              policy: values.policy,
              snapshot: values.snapshot,
              now: parseNow(values.now),
              format: parseFormat(values.format),
              outDir: values.out,
              detailedExitcode: values['detailed-exitcode'] ?? false,
              planOut: values['plan-out'],
              refusals: values.refusals,
              since: values.since,
              history: values.history,
            },
            io,
          );
        }
        return await liveCommands.plan(values, io, rest);
      default: {
        const live = liveCommands[command]!;
        return await live(values, io, rest);
      }
    }
  } catch (e) {
    if (e instanceof PolicyError) {
      for (const d of e.diagnostics) io.err(formatDiagnostic(d));
      return 1;
    }
    if (e instanceof CliError) {
      io.err(`aup: ${clipLines(e.message)}`);
      return e.exitCode;
    }
    io.err(describeUnexpected(e, process.env.AUP_DEBUG === '1'));
    return 1;
  }
}
