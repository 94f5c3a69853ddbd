// `aup demo` (npm run demo): the main job end to end against the embedded sandbox — plan, print the diff,
// apply, print the outcomes, write out/plan.json, plan.md, plan.csv, inventory.csv and audit.csv.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readAndPlan } from '../app/plan-run.ts';
import { applyLive } from '../app/apply-run.ts';
import { changeKey } from '../model.ts';
import { connect, type Connection } from '../platforms/registry.ts';
import { renderTerminal } from '../report/terminal.ts';
import { startSandbox } from '../sandbox/index.ts';
import { demoScenario } from '../sandbox/seed.ts';
import { loadPolicy } from '../policy/load.ts';
import { type Io } from './plan.ts';
import { writePlanArtifacts } from '../app/artifacts.ts';

export interface DemoArgs {
  policy: string;
  outDir: string;
  now: Date;
}

export async function demoCommand(args: DemoArgs, io: Io): Promise<number> {
  const started = performance.now();
  const sandbox = await startSandbox({
    version: '10.3',
    scenario: demoScenario(args.now),
    now: args.now,
    clock: () => args.now.getTime(),
  });
  const c = sandbox.credentials;
  const credentials = { token: c.token, appName: c.appName, appPassword: c.appPassword };
  const clock = () => args.now;
  const conns: Connection[] = [];
  try {
    io.out(
      `Sandbox: Jira Data Center 10.3 at ${sandbox.url} with ${sandbox.store.users().length} users (seeded demo organisation)\n`,
    );
    const resolved = await loadPolicy(args.policy);
    const reader = await connect(resolved, { url: sandbox.url, credentials, readOnly: true, clock });
    conns.push(reader);
    const { snapshot, plan } = await readAndPlan(resolved, reader, args.now);
    io.out(renderTerminal(plan, { color: io.color }));
    await rm(path.join(args.outDir, 'audit.csv'), { force: true });
    const written = await writePlanArtifacts(args.outDir, plan, snapshot, resolved.policy, args.now);

    io.out('\nApplying…');
    const writer = await connect(resolved, { url: sandbox.url, credentials, readOnly: false, clock });
    conns.push(writer);
    const applied = await applyLive(resolved, writer, {
      now: args.now,
      clock,
      outDir: args.outDir,
      reviewed: plan,
      context: {
        runId: `demo-${args.now.toISOString()}`,
        trigger: 'manual',
        actor: 'demo',
        commit: null,
        runUrl: null,
      },
    });
    const k = applied.report.counts;
    io.out(
      `Apply: ${k.applied} applied, ${k['already-in-state']} already in state, ${k.skipped} skipped, ${k.failed} failed.`,
    );
    for (const r of applied.report.results
      .filter((x) => x.outcome === 'skipped' || x.outcome === 'failed')
      .slice(0, 10)) {
      io.out(`  ${r.outcome}: ${r.change.kind} ${r.change.user}: ${r.error ?? ''}`);
    }

    const again = await readAndPlan(resolved, reader, args.now);
    const refused = new Set(
      applied.report.results.filter((r) => r.outcome === 'skipped').map((r) => changeKey(r.change)),
    );
    const left = again.plan.changes.filter((x) => !refused.has(changeKey(x)));
    io.out(
      again.plan.changes.length === 0
        ? 'Re-plan after apply: converged, no change left.'
        : `Re-plan after apply: ${again.plan.changes.length} change(s) left, ${again.plan.changes.length - left.length} of them refused by the instance (read-only directory) and skipped again on every run${
            left.length
              ? `; ${left.length} other(s): ${left
                  .map((x) => `${x.kind} ${x.user}`)
                  .slice(0, 5)
                  .join(', ')}`
              : ''
          }.`,
    );
    const requests = conns.flatMap((x) => x.clients).reduce((a, x) => a + x.stats().requests, 0);
    io.out(
      `\nFigures: ${snapshot.users.length} users, ${plan.changes.length} planned changes, ${requests} HTTP requests, ${Math.round(performance.now() - started)} ms wall time.`,
    );
    io.out(`Wrote ${[...written.files, applied.auditFile].join(', ')}`);
    return k.failed > 0 ? 1 : 0;
  } finally {
    await Promise.all(conns.map((x) => x.close()));
    await sandbox.close();
  }
}
