// `aup validate` and `aup plan` (from a snapshot file, or the live instance once an adapter is configured).
import { readFile, writeFile } from 'node:fs/promises';
import type { Plan, Snapshot } from '../model.ts';
import path from 'node:path';
import { planOrThrow, withPlatformDefaults } from '../app/plan-run.ts';
import { driftSince } from '../app/drift-run.ts';
import { readHistory } from '../app/history-file.ts';
import type { HistoryEntry } from '../planner/index.ts';
import { DRIFT_FILE, driftMarkdown, type DriftOutcome, driftTerminal } from '../report/drift.ts';
export { plannedReport } from '../report/instances.ts';
import { readRefusals } from '../app/refusals.ts';
import { formatDiagnostic } from '../policy/diagnostics.ts';
import { fragmentsAmong } from '../policy/extends.ts';
import { loadPolicy, loadPolicyFile } from '../policy/load.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { planJson } from '../report/json.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderTerminal } from '../report/terminal.ts';
import { loadSnapshot } from '../snapshot/load.ts';
import { writePlanArtifacts } from '../app/artifacts.ts';
import { plural } from '../plural.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
  /** stdin and stdout are a terminal: `aup apply` may ask for confirmation. Default false. */
  interactive?: boolean;
  /** Asks on the terminal and resolves with the answer ('' at the end of input). */
  ask?: (question: string) => Promise<string>;
  /** Progress of long reads and applies (stderr); none when absent. See progress.ts. */
  progress?: ProgressIo;
  /** The width of the terminal stdout is, for tables that fit it; absent when stdout is not a terminal. */
  columns?: number;
}

export interface ProgressIo {
  /** Writes to stderr as is (no newline added). */
  write: (text: string) => void;
  /** stderr is a terminal: one live line rewritten in place; otherwise a plain line every interval. */
  tty: boolean;
  /** Between two progress lines in ms; default 250 on a terminal (redraws), 5000 otherwise. */
  intervalMs?: number;
  /** The terminal's width, to keep the live line on one line. */
  columns?: number;
}

/** A failure the CLI reports as-is, with exit code 1 (bad input, refused apply…). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export async function validateCommand(files: string[], io: Io): Promise<number> {
  if (files.length === 0)
    throw new CliError('validate needs at least one policy file: aup validate policies/*.yml');
  let errors = 0;
  // A fragment among the files (a glob matches them too) is checked with the policies that extend it.
  const fragments = await fragmentsAmong(files, (f) => readFile(f, 'utf8'));
  for (const file of files) {
    const by = fragments.get(file);
    if (by) {
      io.out(
        `${file}: a fragment, checked with the ${by.length === 1 ? 'policy' : 'policies'} extending it (${by.join(', ')})`,
      );
      continue;
    }
    const { resolved, diagnostics } = await loadPolicyFile(file);
    for (const d of diagnostics) io.err(formatDiagnostic(d));
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    if (resolved) io.out(`${file}: valid (${summaryOf(resolved)})`);
  }
  if (errors > 0) io.err(`${plural(errors, 'error')} found`);
  return errors > 0 ? 1 : 0;
}

function summaryOf(r: ResolvedPolicy): string {
  const p = r.policy;
  return `${p.instance.platform}, ${plural(p.inactivity.length, 'inactivity rule')}, ${plural(Object.keys(p.groups).length, 'managed group')}, ${plural(r.declared.length, 'declared user')}`;
}

export type OutputFormat = 'text' | 'json' | 'markdown';

export async function emitPlan(
  p: Plan,
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  now: Date,
  opts: { format: OutputFormat; outDir?: string; io: Io; drift?: DriftOutcome },
): Promise<void> {
  const { io, drift } = opts;
  if (opts.format === 'json') io.out(planJson(p).trimEnd());
  else if (opts.format === 'markdown')
    io.out(drift ? renderMarkdown(p, { preface: driftMarkdown(drift) }) : renderMarkdown(p));
  else io.out(renderTerminal(p, { color: io.color }));
  // Drift goes to the terminal beside the plan (stderr under --format json, whose stdout is the plan).
  if (drift && opts.format === 'text') io.out(`\n${driftTerminal(drift)}`);
  else if (drift && opts.format === 'json') io.err(driftTerminal(drift));
  if (opts.outDir) {
    const written = await writePlanArtifacts(opts.outDir, p, snapshot, resolved.policy, now, {
      ...(drift ? { drift } : {}),
    });
    io.err(
      `wrote ${written.files.join(', ')}${drift?.kind === 'computed' ? `, ${path.join(opts.outDir, DRIFT_FILE)}` : ''}`,
    );
  }
}

/** The history (--history) as the planner takes it; none without the option. */
export async function historyFrom(file: string | undefined): Promise<HistoryEntry[]> {
  return file ? readHistory(file) : [];
}

/** Drift since --since, when given. */
export async function driftFrom(
  since: string | undefined,
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  history: readonly HistoryEntry[],
): Promise<DriftOutcome | undefined> {
  return since ? driftSince(since, withPlatformDefaults(snapshot), resolved.policy, history) : undefined;
}

export interface PlanFromSnapshotArgs {
  policy: string;
  snapshot: string;
  now: Date;
  format: OutputFormat;
  outDir?: string;
  detailedExitcode: boolean;
  planOut?: string;
  refusals?: string;
  since?: string;
  history?: string;
}

export async function planFromSnapshotCommand(args: PlanFromSnapshotArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  const snapshot = await loadSnapshot(args.snapshot);
  const refusals = args.refusals ? await readRefusals(args.refusals) : [];
  const history = await historyFrom(args.history);
  const p = planOrThrow(snapshot, resolved, args.now, { refusals, history });
  const drift = await driftFrom(args.since, snapshot, resolved, history);
  await emitPlan(p, snapshot, resolved, args.now, {
    format: args.format,
    outDir: args.outDir,
    io,
    ...(drift ? { drift } : {}),
  });
  if (args.planOut) await writeFile(args.planOut, planJson(p));
  return exitCodeOf(p, args.detailedExitcode, io);
}

export function exitCodeOf(p: Plan, detailed: boolean, io: Io): number {
  if (!p.applyable) {
    io.err(
      `plan is not applyable: ${p.limits
        .filter((l) => l.exceeded)
        .map((l) => l.message)
        .join('; ')}`,
    );
    return 1;
  }
  return detailed && p.changes.length > 0 ? 2 : 0;
}
