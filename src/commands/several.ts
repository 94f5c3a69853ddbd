// `aup plan|apply` over several policy files, one instance each: each is planned (or applied) on its own, with its
// files in <out>/<policy stem>/, and one failing (bad credentials, instance down, invalid policy) never stops the
// others. A combined summary ends the output (and <out>/summary.md); the exit code is 1 when any instance failed.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDiagnostic, PolicyError } from '../policy/diagnostics.ts';
import { clipLines } from '../report/escape.ts';
import { type InstanceReport, instancesMarkdown, instancesTerminal } from '../report/instances.ts';
import type { LiveArgs } from './connection.ts';
import { describeUnexpected } from './failure.ts';
import { CliError, type Io } from './plan.ts';

/** The per-instance directory name of each policy file: its stem, or its path when two stems are the same. */
export function instanceDirs(files: readonly string[]): string[] {
  const stem = (f: string) => path.basename(f).replace(/\.ya?ml$/i, '');
  const stems = files.map(stem);
  return files.map((f, i) =>
    stems.filter((s) => s === stems[i]).length > 1
      ? f
          .replace(/\.ya?ml$/i, '')
          .replace(/^\.?\/+/, '')
          .replace(/[^A-Za-z0-9._-]+/g, '-')
      : stems[i]!,
  );
}

/** Options naming one file that, with several policies, name a directory laid out like --out: DIR/<stem>/<file>. */
const PER_INSTANCE = {
  plan: { file: 'plan.json', what: 'the reviewed plan' },
  refusals: { file: 'refused.csv', what: 'refusals' },
  since: { file: 'inventory.csv', what: 'previous inventory' },
  history: { file: 'audit.csv', what: 'history' },
} as const;

export interface SeveralArgs<A extends LiveArgs> {
  command: 'plan' | 'apply';
  policies: string[];
  /** The arguments as for one policy (its policy, outDir and per-instance files are set per instance). */
  base: A & { reviewedPlan?: string };
  io: Io;
  run: (args: A, io: Io) => Promise<number>;
}

export async function runSeveral<A extends LiveArgs>(o: SeveralArgs<A>): Promise<number> {
  const { io, base } = o;
  for (const [flag, given] of [
    ['--url', base.url],
    ['--plan-out', base.planOut],
  ] as const)
    if (given)
      throw new CliError(
        `${flag} names one instance, and ${o.policies.length} policies were given: set each instance's url in its policy (instance.url)${flag === '--plan-out' ? '; --out writes each plan.json to <out>/<policy>/' : ''}`,
      );
  const dirs = instanceDirs(o.policies);
  const outRoot = base.outDir ?? (o.command === 'apply' ? 'out' : undefined);
  const reports: InstanceReport[] = [];
  const say = (text: string) => (base.format === 'json' ? io.err(text) : io.out(text));
  let code = 0;
  for (const [i, policy] of o.policies.entries()) {
    const dir = dirs[i]!;
    // Under --format json stdout holds only the plans (one JSON document per instance); the rest goes to stderr.
    say(`${i > 0 ? '\n' : ''}== ${policy} ==`);
    const perInstance = (given: string | undefined, key: keyof typeof PER_INSTANCE): string | undefined => {
      if (!given) return undefined;
      const file = path.join(given, dir, PER_INSTANCE[key].file);
      if (existsSync(file)) return file;
      // An apply's directory holds the inventory it read before applying (its audit says what it changed).
      const applied = path.join(given, dir, `apply-${PER_INSTANCE[key].file}`);
      if (key === 'since' && existsSync(applied)) return applied;
      if (key === 'plan') return file; // a reviewed plan that is missing is an error of that instance
      io.err(`no ${file}: no ${PER_INSTANCE[key].what} for ${policy}`);
      return key === 'since' ? file : undefined; // drift says it could not be computed
    };
    let reported: InstanceReport | undefined;
    const args = {
      ...base,
      policy,
      ...(outRoot ? { outDir: path.join(outRoot, dir) } : {}),
      refusals: perInstance(base.refusals, 'refusals'),
      since: perInstance(base.since, 'since'),
      history: perInstance(base.history, 'history'),
      ...(base.reviewedPlan ? { reviewedPlan: perInstance(base.reviewedPlan, 'plan') } : {}),
      report: (r: InstanceReport) => {
        reported = r;
      },
    } as A;
    try {
      const c = await o.run(args, io);
      code = code === 1 || c === 1 ? 1 : Math.max(code, c);
      reports.push(reported ?? { policy, status: c === 1 ? 'failed' : 'planned' });
    } catch (e) {
      code = 1;
      const why = failureOf(e, io);
      reports.push({
        ...(reported ?? { policy }),
        policy,
        status: reported?.status === 'refused' ? 'refused' : 'failed',
        error: why,
      });
    }
  }
  say(`\n${instancesTerminal(reports)}`);
  if (outRoot) {
    await mkdir(outRoot, { recursive: true });
    const file = path.join(outRoot, 'summary.md');
    await writeFile(file, instancesMarkdown(reports));
    io.err(`wrote ${file}`);
  }
  return code;
}

/** Prints what went wrong with one instance as the CLI would, and returns it as one line for the summary. */
function failureOf(e: unknown, io: Io): string {
  if (e instanceof PolicyError) {
    const ds = e.diagnostics.filter((d) => d.severity === 'error');
    for (const d of e.diagnostics) io.err(formatDiagnostic(d));
    return clipLines(ds.length === 1 ? formatDiagnostic(ds[0]!) : `${ds.length} policy errors (see above)`);
  }
  if (e instanceof CliError) {
    io.err(`aup: ${clipLines(e.message)}`);
    return clipLines(e.message.split('\n')[0] ?? e.message);
  }
  const text = describeUnexpected(e, process.env.AUP_DEBUG === '1');
  io.err(text);
  return clipLines(text.replace(/^aup: /, '').split('\n')[0] ?? text);
}
