// `aup revert`: the inverse of what the runs recorded in an audit.csv applied, planned against the live instance
// (read-only, like `aup plan`) or, with --apply, applied like `aup apply`: every guard, held to the reviewed
// revert-plan.json (--plan) or confirmed with --yes.
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import { writePlanArtifacts, writeApplyArtifacts } from '../app/artifacts.ts';
import { PlanFileError, readPlanFile } from '../app/plan-file.ts';
import { groupsToRead, readRevertSource, revertPlan, runsOf } from '../app/revert-run.ts';
import { loadPolicy } from '../policy/load.ts';
import { planJson } from '../report/json.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderTerminal } from '../report/terminal.ts';
import { stripControl } from '../report/escape.ts';
import { applyReportLines } from './apply-report.ts';
import { consentFor, terminalApplyHooks } from './confirm.ts';
import { requestsLine, withConnection } from './connection.ts';
import type { ApplyArgs } from './live.ts';
import { CliError, exitCodeOf, type Io } from './plan.ts';

export interface RevertArgs extends ApplyArgs {
  audit: string;
  /** --apply: apply the revert plan instead of only planning it. */
  apply: boolean;
}

export async function revertCommand(args: RevertArgs, io: Io): Promise<number> {
  const consent = args.apply ? consentFor(args, io) : null;
  const resolved = await loadPolicy(args.policy);
  const source = await readRevertSource(args.audit);
  const runs = runsOf(source);
  if (runs.length === 0) {
    io.err(`aup: ${args.audit} records no applied change: nothing to revert`);
    return 0;
  }
  io.err(
    `reverting what ${runs.length === 1 ? 'run' : 'runs'} ${stripControl(runs.join(', '))} applied (${args.audit})`,
  );
  const outDir = args.outDir ?? 'out';
  const extra = groupsToRead(source);
  if (!args.apply) {
    return withConnection(
      resolved,
      args,
      true,
      io,
      async (conn, progress) => {
        const snapshot = await conn.adapter.snapshot();
        const plan = revertPlan(snapshot, resolved, source, args.now, conn.adapter.capabilities);
        progress.stop();
        if (args.format === 'json') io.out(planJson(plan).trimEnd());
        else if (args.format === 'markdown') io.out(renderMarkdown(plan));
        else io.out(renderTerminal(plan, { color: io.color }));
        const written = await writePlanArtifacts(outDir, plan, snapshot, resolved.policy, args.now, {
          prefix: 'revert-',
        });
        io.err(`wrote ${written.files.join(', ')}`);
        io.err(requestsLine(conn));
        return exitCodeOf(plan, false, io);
      },
      { extraGroups: extra },
    );
  }
  const reviewed = args.reviewedPlan
    ? await readPlanFile(args.reviewedPlan).catch((e: unknown) => {
        throw e instanceof PlanFileError ? new CliError(e.message) : e;
      })
    : undefined;
  return withConnection(
    resolved,
    args,
    false,
    io,
    async (conn, progress) => {
      try {
        const r = await applyLive(resolved, conn, {
          now: args.now,
          clock: args.clock,
          outDir,
          reviewed,
          replan: (snapshot) => revertPlan(snapshot, resolved, source, args.now, conn.adapter.capabilities),
          context: {
            runId: args.runId,
            trigger: args.trigger,
            actor: args.actor,
            commit: null,
            runUrl: null,
          },
          ...terminalApplyHooks(consent!, progress, io),
        });
        progress.stop();
        const written = await writeApplyArtifacts(outDir, r.plan, r.snapshot, resolved.policy, args.now);
        for (const line of applyReportLines(r)) io.out(line);
        io.err(`wrote ${[...written.files, r.auditFile].join(', ')}`);
        if (r.report.stopped) io.err(`aup: ${r.report.stopped}`);
        io.err(requestsLine(conn));
        return r.report.counts.failed > 0 || r.report.stopped ? 1 : 0;
      } catch (e) {
        if (e instanceof ApplyRefused) throw new CliError(e.message);
        throw e;
      }
    },
    { extraGroups: extra },
  );
}
