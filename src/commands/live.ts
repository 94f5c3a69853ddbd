// Commands that talk to an instance: live plan, apply, export. Credentials come from the environment.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliValues } from '../cli.ts';
import { readAndPlan } from '../app/plan-run.ts';
import { readRefusals } from '../app/refusals.ts';
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import { PlanFileError, readPlanFile } from '../app/plan-file.ts';
import { credentialsFromEnv } from '../platforms/credentials.ts';
import { type Connection, connect, driverFor } from '../platforms/registry.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { inventoryCsv } from '../report/csv.ts';
import { planJson } from '../report/json.ts';
import { renderTerminal } from '../report/terminal.ts';
import { plural } from '../plural.ts';
import { loadSnapshot } from '../snapshot/load.ts';
import { exportedLine } from './export-line.ts';
import { listUsers } from './list.ts';
import { writeApplyArtifacts } from '../app/artifacts.ts';
import { loadPolicy } from '../policy/load.ts';
import { CliError, emitPlan, exitCodeOf, type Io, type OutputFormat } from './plan.ts';
import { applyReportLines } from './apply-report.ts';
import { confirmApply, consentFor } from './confirm.ts';
import { describeConnectionFailure } from './failure.ts';
import { type Progress, startProgress } from './progress.ts';
import { instanceUrlFrom } from './instance-url.ts';

export interface Env {
  [name: string]: string | undefined;
}

export { credentialsFromEnv };

export interface LiveArgs {
  policy: string;
  url?: string;
  now: Date;
  outDir?: string;
  format: OutputFormat;
  detailedExitcode: boolean;
  /** Also write the plan as JSON here (`--plan-out`). */
  planOut?: string;
  env: Env;
  clock: () => Date;
  /** refused.csv of an earlier apply: changes the instance refused as read-only are planned as skipped. */
  refusals?: string;
}

async function withConnection<T>(
  resolved: ResolvedPolicy,
  args: LiveArgs,
  readOnly: boolean,
  io: Io,
  f: (c: Connection, progress: Progress) => Promise<T>,
): Promise<T> {
  const url = instanceUrlFrom({
    flag: args.url,
    env: args.env.ATLASSIAN_URL,
    policy: resolved.policy.instance.url,
    policyPath: resolved.path,
    platformDefault: driverFor(resolved.policy.instance.platform)?.defaultUrl,
  });
  const credentials = credentialsFromEnv(args.env);
  const progress = startProgress(io.progress, { what: `reading ${url}`, fallbackLog: (m) => io.err(m) });
  let conn: Connection | undefined;
  try {
    conn = await connect(resolved, {
      url,
      credentials,
      readOnly,
      clock: args.clock,
      log: (m) => progress.log(m),
      onHttpEvent: (e) => progress.http(e),
    });
    return await f(conn, progress);
  } catch (e) {
    const described = describeConnectionFailure(e, url, credentials);
    throw described ? new CliError(described) : e;
  } finally {
    progress.stop();
    await conn?.close();
  }
}

export async function livePlanCommand(args: LiveArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  return withConnection(resolved, args, true, io, async (conn, progress) => {
    const refusals = args.refusals ? await readRefusals(args.refusals) : [];
    const { snapshot, plan } = await readAndPlan(resolved, conn, args.now, { refusals });
    progress.stop();
    await emitPlan(plan, snapshot, resolved, args.now, { format: args.format, outDir: args.outDir, io });
    if (args.planOut) await writeFile(args.planOut, planJson(plan));
    io.err(requestsLine(conn));
    return exitCodeOf(plan, args.detailedExitcode, io);
  });
}

export async function exportCommand(args: LiveArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  const outDir = args.outDir ?? 'out';
  return withConnection(resolved, args, true, io, async (conn, progress) => {
    const snapshot = await conn.adapter.snapshot();
    progress.stop();
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'snapshot.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
    await writeFile(path.join(outDir, 'inventory.csv'), inventoryCsv(snapshot, args.now));
    io.out(exportedLine(snapshot, outDir));
    io.err(requestsLine(conn));
    return 0;
  });
}

export async function listCommand(
  args: LiveArgs & { snapshot?: string; inactiveDays?: number; listFormat: 'text' | 'csv' },
  io: Io,
): Promise<number> {
  const opts = { now: args.now, inactiveDays: args.inactiveDays, format: args.listFormat };
  if (args.snapshot) {
    io.out(listUsers(await loadSnapshot(args.snapshot), opts));
    return 0;
  }
  const resolved = await loadPolicy(args.policy);
  return withConnection(resolved, args, true, io, async (conn, progress) => {
    const snapshot = await conn.adapter.snapshot();
    progress.stop();
    io.out(listUsers(snapshot, opts));
    return 0;
  });
}

export interface ApplyArgs extends LiveArgs {
  reviewedPlan?: string;
  /** --yes: apply the live plan without asking. */
  yes?: boolean;
  trigger: string;
  actor: string;
  runId: string;
}

export async function applyCommand(args: ApplyArgs, io: Io): Promise<number> {
  const consent = consentFor(args, io);
  const resolved = await loadPolicy(args.policy);
  const reviewed = args.reviewedPlan ? await readPlanFile(args.reviewedPlan).catch(asCliError) : undefined;
  const outDir = args.outDir ?? 'out';
  return withConnection(resolved, args, false, io, async (conn, progress) => {
    try {
      const r = await applyLive(resolved, conn, {
        refusals: args.refusals ? await readRefusals(args.refusals) : [],
        now: args.now,
        clock: args.clock,
        outDir,
        reviewed,
        context: { runId: args.runId, trigger: args.trigger, actor: args.actor, commit: null, runUrl: null },
        beforeWrite: async (plan) => {
          progress.pause();
          io.out(renderTerminal(plan, { color: io.color }));
          if (consent === 'ask' && plan.changes.length > 0)
            await confirmApply(plan, plan.snapshot.instance, io);
          progress.applying(plan.changes.length);
        },
        onResult: (x) => progress.result(x),
      });
      progress.stop();
      // Beside a reviewed plan.json in the same directory, never over it.
      const written = await writeApplyArtifacts(outDir, r.plan, r.snapshot, resolved.policy, args.now);
      for (const line of applyReportLines(r)) io.out(line);
      io.err(`wrote ${[...written.files, r.auditFile, r.refusalsFile].join(', ')}`);
      if (r.report.stopped) io.err(`aup: ${r.report.stopped}`);
      const c = r.report.counts;
      io.err(requestsLine(conn));
      return c.failed > 0 || r.report.stopped ? 1 : 0;
    } catch (e) {
      if (e instanceof ApplyRefused) throw new CliError(e.message);
      throw e;
    }
  });
}

export function requestsLine(conn: Pick<Connection, 'clients'>): string {
  const s = conn.clients.map((c) => c.stats());
  const sum = (f: (x: (typeof s)[number]) => number) => s.reduce((a, x) => a + f(x), 0);
  return `HTTP: ${plural(
    sum((x) => x.requests),
    'request',
  )}, ${plural(
    sum((x) => x.retries),
    'retry',
    'retries',
  )}, ${plural(
    sum((x) => x.throttled),
    'throttled wait',
  )}`;
}

export function liveArgs(values: CliValues, env: Env, now: Date, format: OutputFormat): LiveArgs {
  if (!values.policy) throw new CliError('this command needs --policy <file>');
  return {
    policy: values.policy,
    url: values.url,
    now,
    outDir: values.out,
    format,
    detailedExitcode: values['detailed-exitcode'] ?? false,
    planOut: values['plan-out'],
    env,
    clock: () => new Date(),
    ...(values.refusals ? { refusals: values.refusals } : {}),
  };
}

function asCliError(e: unknown): never {
  if (e instanceof PlanFileError) throw new CliError(e.message);
  throw e;
}
