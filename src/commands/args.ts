// The command line as a command and its options: each command takes only its own options; a mistyped
// command or option gets the closest known one suggested; the policy file may be the argument.
import { globSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from './plan.ts';
import {
  type CliValues,
  COMMAND_NAMES,
  COMMANDS,
  commandHelp,
  type OptionName,
  OPTIONS,
  optionNames,
  topLevelHelp,
} from './spec.ts';
import { closest } from './suggest.ts';

export type ParsedCommandLine =
  | { kind: 'help'; text: string; exitCode: number }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: string;
      values: CliValues;
      positionals: string[];
      /** `plan` and `apply`: every policy file given (arguments, repeated --policy, expanded globs), in order. */
      policies: string[];
    };

const TOP_LEVEL = ['--help', '--version'];

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'help', text: topLevelHelp(), exitCode: 1 };
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic === undefined || topic.startsWith('-'))
      return { kind: 'help', text: topLevelHelp(), exitCode: 0 };
    return { kind: 'help', text: commandHelp(knownCommand(topic)), exitCode: 0 };
  }
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (first.startsWith('-')) {
    const name = first.replace(/=.*$/, '');
    const guess = closest(name, TOP_LEVEL);
    if (guess) throw new CliError(`unknown option ${name}; did you mean ${guess}?`);
    const command = argv.find((a) => COMMANDS[a]);
    throw new CliError(
      command
        ? `put the command first: aup ${command} ${argv.filter((a) => a !== command).join(' ')}`
        : `expected a command before ${name}; run aup --help for the commands`,
    );
  }
  const command = knownCommand(first);
  if (command === 'version' && rest.length === 0) return { kind: 'version' };
  const spec = COMMANDS[command]!;
  const own = optionNames(spec);
  refuseForeignOptions(command, rest, own);
  const several = spec.positionals === 'policies';
  const options = Object.fromEntries(
    own.map((n) => [n, { ...parseArgsOption(n), ...(several && n === 'policy' ? { multiple: true } : {}) }]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${command}: ${(e as Error).message}; run aup ${command} --help for its usage`);
  }
  const values = parsed.values as CliValues;
  if (values.help) return { kind: 'help', text: commandHelp(command), exitCode: 0 };
  const positionals = parsed.positionals;
  if (several) {
    const given = [...((values.policy as unknown as string[] | undefined) ?? []), ...positionals];
    const policies = expandPolicies(command, given);
    if (policies.length === 0)
      throw new CliError(
        `${command} needs a policy file: aup ${command} <policy.yml>... (or --policy FILE, repeated; a quoted glob such as 'policies/*.yml' is expanded)`,
      );
    values.policy = policies[0];
    if (own.includes('format')) values.format ??= 'text';
    if (own.includes('detailed-exitcode')) values['detailed-exitcode'] ??= false;
    return { kind: 'run', command, values, positionals: [], policies };
  }
  if (spec.positionals === 'none' && positionals.length > 0)
    throw new CliError(
      `${command} takes no arguments, got ${JSON.stringify(positionals[0])}; run aup ${command} --help`,
    );
  if (spec.positionals === 'policy') {
    if (positionals.length > 1)
      throw new CliError(
        `${command} takes one policy file, got ${positionals.length}: ${positionals.join(' ')}; run it once per policy`,
      );
    if (positionals.length === 1) {
      if (values.policy !== undefined)
        throw new CliError(
          `${command}: the policy is given twice (${values.policy} with --policy and ${positionals[0]} as the argument); give it once`,
        );
      values.policy = positionals[0];
    }
    if (values.policy === undefined)
      throw new CliError(`${command} needs a policy file: aup ${command} <policy.yml> (or --policy FILE)`);
  }
  if (own.includes('format')) values.format ??= 'text';
  if (own.includes('detailed-exitcode')) values['detailed-exitcode'] ??= false;
  return {
    kind: 'run',
    command,
    values,
    positionals: spec.positionals === 'files' ? positionals : [],
    policies: values.policy ? [values.policy] : [],
  };
}

/**
 * Policy files as given, a glob (`*`, `?`, `[…]`, quoted so the shell leaves it alone) expanded to the files it
 * matches, sorted; a glob matching nothing and a file given twice are refused.
 */
export function expandPolicies(command: string, given: string[]): string[] {
  const out: string[] = [];
  for (const g of given) {
    if (!/[*?[]/.test(g)) {
      out.push(g);
      continue;
    }
    const matched = globSync(g)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort();
    if (matched.length === 0)
      throw new CliError(`${command}: no policy file matches ${JSON.stringify(g)} (from ${process.cwd()})`);
    out.push(...matched);
  }
  const seen = new Set<string>();
  for (const f of out) {
    const key = f.replace(/\\/g, '/').replace(/^\.\//, '');
    if (seen.has(key))
      throw new CliError(
        `${command}: the policy ${f} is given twice (each instance is planned once); give it once`,
      );
    seen.add(key);
  }
  return out;
}

function knownCommand(name: string): string {
  if (COMMANDS[name]) return name;
  const guess = closest(name, COMMAND_NAMES);
  throw new CliError(
    `unknown command ${JSON.stringify(name)}; ${guess ? `did you mean ${guess}? ` : ''}run aup --help for the commands`,
  );
}

function parseArgsOption(name: OptionName): {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
} {
  const o: { type: 'string' | 'boolean'; short?: string; multiple?: boolean } = OPTIONS[name];
  return { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
}

/** An option the command does not take: a typo (suggest the closest) or another command's option (say whose). */
function refuseForeignOptions(command: string, args: string[], own: readonly OptionName[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    if (!arg.startsWith('-') || arg === '-') continue;
    const long = arg.startsWith('--');
    const name = (long ? arg.slice(2) : arg.slice(1, 2)).replace(/=.*$/, '');
    const known = long
      ? own.find((o) => o === name)
      : own.find((o) => (OPTIONS[o] as { short?: string }).short === name);
    if (known) continue;
    const shown = long ? `--${name}` : `-${name}`;
    const owners =
      long && name in OPTIONS
        ? COMMAND_NAMES.filter((c) => optionNames(COMMANDS[c]!).includes(name as OptionName))
        : [];
    if (owners.length > 0) {
      const hint =
        name === 'version'
          ? ' (aup --version prints the version of aup)'
          : ` (it is an option of aup ${owners.join(', aup ')})`;
      throw new CliError(
        `${shown} is not an option of aup ${command}${hint}; run aup ${command} --help for its options`,
      );
    }
    const guess = long ? closest(name, own) : undefined;
    throw new CliError(
      `unknown option ${shown}${guess ? `; did you mean --${guess}?` : ''} (aup ${command} --help lists its options)`,
    );
  }
}
