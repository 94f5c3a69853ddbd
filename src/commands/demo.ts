// `aup demo` (npm run demo): the main job end to end against the embedded sandbox — plan, print the diff,
// apply, print the outcomes, write out/plan.json, plan.md, plan.csv, inventory.csv (the plan), apply-plan.json,
// apply-plan.md, apply-plan.csv, apply-inventory.csv (what the apply re-planned) and audit.csv (what it did).
// `--platform` picks the sandbox product and its example policy (default jira-dc with policies/example.yml).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readAndPlan } from '../app/plan-run.ts';
import { applyLive } from '../app/apply-run.ts';
import type { Credentials } from '../platforms/driver.ts';
import { connect, type Connection } from '../platforms/registry.ts';
import { renderTerminal } from '../report/terminal.ts';
import {
  type PlatformId,
  PLATFORMS,
  type ProductKnobs,
  isPlatform,
  productFor,
  type SandboxHandle,
  type SandboxVersion,
  startSandbox,
} from '../sandbox/index.ts';
import { loadPolicy } from '../policy/load.ts';
import { plural } from '../plural.ts';
import { CliError, type Io } from './plan.ts';
import { writeApplyArtifacts, writePlanArtifacts } from '../app/artifacts.ts';

export interface DemoArgs {
  /** Default: the platform's example policy. */
  policy?: string;
  outDir: string;
  now: Date;
  /** Default jira-dc. */
  platform?: string;
}

/** Per platform: the version the demo serves, its example policy and the credentials the driver gets. */
const DEMOS: Partial<
  Record<
    PlatformId,
    {
      version: SandboxVersion;
      policy: string;
      credentials: (sb: SandboxHandle) => Credentials;
      /** Product knobs the demo's sandbox starts with. */
      knobs?: ProductKnobs;
    }
  >
> = {
  'jira-dc': {
    version: '10.3',
    policy: 'policies/example.yml',
    credentials: (sb) => ({
      token: sb.credentials.token,
      appName: sb.credentials.appName,
      appPassword: sb.credentials.appPassword,
    }),
  },
  'confluence-dc': {
    version: '10.2',
    policy: 'policies/examples/confluence-dc.yml',
    credentials: (sb) => ({ token: sb.credentials.token }),
  },
  crowd: {
    version: '6.1',
    policy: 'policies/examples/crowd.yml',
    credentials: (sb) => ({
      appName: sb.credentials.appName,
      appPassword: sb.credentials.appPassword,
      username: sb.credentials.username,
      password: sb.credentials.password,
    }),
  },
  'bitbucket-dc': {
    version: '9.4',
    policy: 'policies/examples/bitbucket-dc.yml',
    credentials: (sb) => ({ token: sb.credentials.token }),
  },
  // The organisation API key; the deprecated list endpoints retired, as after their dates.
  cloud: {
    version: 'v2',
    policy: 'policies/examples/cloud.yml',
    credentials: (sb) => ({ token: sb.credentials.token }),
    knobs: { retireDeprecated: true },
  },
};

export async function demoCommand(args: DemoArgs, io: Io): Promise<number> {
  const started = performance.now();
  const platform = args.platform ?? 'jira-dc';
  const demo = isPlatform(platform) ? DEMOS[platform] : undefined;
  if (!demo)
    throw new CliError(
      `--platform: expected ${PLATFORMS.filter((p) => DEMOS[p]).join(' | ')}, got ${JSON.stringify(platform)}`,
    );
  const product = productFor(platform);
  const sandbox = await startSandbox({
    platform: platform as PlatformId,
    version: demo.version,
    scenario: product.demoScenario(args.now),
    now: args.now,
    clock: () => args.now.getTime(),
    ...demo.knobs,
  });
  const credentials = demo.credentials(sandbox);
  const clock = () => args.now;
  const conns: Connection[] = [];
  try {
    io.out(
      `Sandbox: ${product.name} ${demo.version} at ${sandbox.url} with ${plural(sandbox.store.users().length, 'user')} (seeded demo organisation)\n`,
    );
    const resolved = await loadPolicy(args.policy ?? demo.policy);
    const reader = await connect(resolved, { url: sandbox.url, credentials, readOnly: true, clock });
    conns.push(reader);
    const { snapshot, plan } = await readAndPlan(resolved, reader, args.now);
    const snapshotRequests = reader.clients.reduce((a, x) => a + x.stats().requests, 0);
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
    const reApplied = await writeApplyArtifacts(
      args.outDir,
      applied.plan,
      applied.snapshot,
      resolved.policy,
      args.now,
    );
    const k = applied.report.counts;
    io.out(
      `Apply: ${k.applied} applied, ${k['already-in-state']} already in state, ${k.skipped} skipped, ${k.failed} failed.`,
    );
    for (const r of applied.report.results
      .filter((x) => x.outcome === 'skipped' || x.outcome === 'failed')
      .slice(0, 10)) {
      io.out(`  ${r.outcome}: ${r.change.kind} ${r.change.user}: ${r.error ?? ''}`);
    }

    // The next plan carries what the instance refused (refused.csv): those changes are skipped with its
    // answer instead of coming back as changes in every plan.
    const again = await readAndPlan(resolved, reader, args.now, { refusals: applied.refusals });
    const readOnly = again.plan.skipped.filter((x) => x.why === 'read-only-directory');
    // Refusals read "the instance refused this change on …" (planner/refusals.ts); the rest the instance
    // reports as read-only before anything is applied (Bitbucket's mutableGroups / deletable).
    const carried = readOnly.filter((x) => x.detail.startsWith('the instance refused')).length;
    const known = readOnly.length - carried;
    const left = again.plan.changes;
    io.out(
      `Re-plan after apply, with ${plural(applied.refusals.length, 'refusal')} carried in ${applied.refusalsFile}: ${
        left.length === 0
          ? 'converged, no change left'
          : `${plural(left.length, 'change')} left: ${left
              .slice(0, 5)
              .map((x) => `${x.kind} ${x.user}`)
              .join(', ')}`
      }; ${plural(carried, 'change')} the instance refused as read-only${
        known > 0 ? ` and ${plural(known, 'change')} it reports as read-only before apply` : ''
      } ${carried + known === 1 ? 'is' : 'are'} skipped (fix them in their directory).`,
    );
    const requests = conns.flatMap((x) => x.clients).reduce((a, x) => a + x.stats().requests, 0);
    io.out(
      `\nFigures: ${plural(snapshot.users.length, 'user')}, ${plural(plan.changes.length, 'planned change')}, ${plural(requests, 'HTTP request')}, ${Math.round(performance.now() - started)} ms wall time.`,
    );
    io.out(`Reading the instance once took ${plural(snapshotRequests, 'HTTP request')}.`);
    io.out(
      `Wrote ${[...written.files, ...reApplied.files, applied.auditFile, applied.refusalsFile].join(', ')}`,
    );
    return k.failed > 0 || left.length > 0 ? 1 : 0;
  } finally {
    await Promise.all(conns.map((x) => x.close()));
    await sandbox.close();
  }
}
