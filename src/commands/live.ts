// Commands that change or plan against an instance: live plan and apply. Credentials come from the environment.
import { writeFile } from 'node:fs/promises';
import { plural } from '../plural.ts';
import { readAndPlan } from '../app/plan-run.ts';
import { readRefusals } from '../app/refusals.ts';
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import { PlanFileError, readPlanFile } from '../app/plan-file.ts';
import { planJson } from '../report/json.ts';
import { writeApplyArtifacts } from '../app/artifacts.ts';
import { loadPolicy } from '../policy/load.ts';
import { CliError, driftFrom, emitPlan, exitCodeOf, historyFrom, type Io, plannedReport } from './plan.ts';
import { applyReportLines } from './apply-report.ts';
import { consentFor, terminalApplyHooks } from './confirm.ts';
import { type LiveArgs, requestsLine, withConnection } from './connection.ts';

export { credentialsFromEnv, type Env, type LiveArgs, liveArgs, requestsLine } from './connection.ts';

export async function livePlanCommand(args: LiveArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  const history = await historyFrom(args.history);
  return withConnection(resolved, args, true, io, async (conn, progress) => {
    const refusals = args.refusals ? await readRefusals(args.refusals) : [];
    const { snapshot, plan } = await readAndPlan(resolved, conn, args.now, { refusals, history });
    progress.stop();
    const drift = await driftFrom(args.since, snapshot, resolved, history);
    await emitPlan(plan, snapshot, resolved, args.now, {
      format: args.format,
      outDir: args.outDir,
      io,
      ...(drift ? { drift } : {}),
    });
    args.report?.(plannedReport(plan, drift, args.outDir));
    if (args.planOut) await writeFile(args.planOut, planJson(plan));
    io.err(requestsLine(conn));
    return exitCodeOf(plan, args.detailedExitcode, io);
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
  const history = await historyFrom(args.history);
  return withConnection(resolved, args, false, io, async (conn, progress) => {
    try {
      const r = await applyLive(resolved, conn, {
        refusals: args.refusals ? await readRefusals(args.refusals) : [],
        ...(history.length > 0 ? { history } : {}),
        now: args.now,
        clock: args.clock,
        outDir,
        reviewed,
        context: { runId: args.runId, trigger: args.trigger, actor: args.actor, commit: null, runUrl: null },
        ...terminalApplyHooks(consent, progress, io),
      });
      progress.stop();
      // Beside a reviewed plan.json in the same directory, never over it.
      const written = await writeApplyArtifacts(outDir, r.plan, r.snapshot, resolved.policy, args.now);
      for (const line of applyReportLines(r)) io.out(line);
      io.err(`wrote ${[...written.files, r.auditFile, r.refusalsFile].join(', ')}`);
      if (r.report.stopped) io.err(`aup: ${r.report.stopped}`);
      const c = r.report.counts;
      io.err(requestsLine(conn));
      args.report?.({
        ...plannedReport(r.plan, undefined, outDir),
        status: c.failed > 0 || r.report.stopped ? 'failed' : 'applied',
        applied: c.applied,
        failedChanges: c.failed,
        ...(c.failed > 0 || r.report.stopped
          ? {
              error: `${plural(c.failed, 'change')} failed${r.report.stopped ? `; ${r.report.stopped}` : ''}`,
            }
          : {}),
      });
      return c.failed > 0 || r.report.stopped ? 1 : 0;
    } catch (e) {
      if (e instanceof ApplyRefused) {
        args.report?.({ policy: resolved.path, dir: outDir, status: 'refused', error: e.message });
        throw new CliError(e.message);
      }
      throw e;
    }
  });
}

function asCliError(e: unknown): never {
  if (e instanceof PlanFileError) throw new CliError(e.message);
  throw e;
}
