// Undo (issue 13): on every platform, apply the staged lifecycle policy, then revert what that run applied from
// its audit.csv alone: the instance is back to its earlier state except for the deletions (listed as
// irreversible, as is the created account). Through the CLI: `aup revert` plans (read-only) and writes
// revert-plan.json; `aup revert --apply --plan` applies it, held to it like any reviewed plan; limits apply.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLive } from '../../src/app/apply-run.ts';
import { fromAuditText, revertPlan } from '../../src/app/revert-run.ts';
import { liveArgs } from '../../src/commands/live.ts';
import type { Io } from '../../src/commands/plan.ts';
import { revertCommand } from '../../src/commands/revert.ts';
import type { Plan } from '../../src/model.ts';
import { connect } from '../../src/platforms/registry.ts';
import type { SandboxHandle } from '../../src/sandbox/index.ts';
import { FIXTURES } from '../contract/fixtures.ts';
import { jiraDcFixture } from '../contract/jira-dc.ts';
import { lifecyclePolicy, NOW } from '../contract/org.ts';
import { cliEnv, org, resolvedPolicy, tempDir } from './helpers.ts';

/** Users as the instance holds them: name → active flag and sorted groups (login bookkeeping left out). */
function state(sb: SandboxHandle): Record<string, { active: boolean; groups: string[] }> {
  return Object.fromEntries(
    sb.store
      .users()
      .map((u) => [u.name, { active: u.active, groups: sb.store.groupsOf(u).sort() }] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const capture = (): Io & { out: (t: string) => void; lines: string[] } => {
  const lines: string[] = [];
  return { lines, color: false, out: (t) => lines.push(t), err: (t) => lines.push(t) };
};

describe.each(FIXTURES)('$platform: apply, then revert from the audit', (f) => {
  it('gets the instance back to its earlier state except for deletions', async () => {
    const version = f.versions[f.versions.length - 1]!;
    const sb = await f.start(version, org(f, 4), {});
    try {
      const resolved = resolvedPolicy(lifecyclePolicy(f));
      const credentials = f.credentials(sb);
      const open = (readOnly: boolean, extraGroups: string[] = []) =>
        connect(resolved, { url: sb.url, credentials, readOnly, clock: () => NOW, extraGroups });
      const before = state(sb);
      // Changes name users as the platform does (Cloud: by email); the store by username.
      const nameOf = new Map(sb.store.users().map((u) => [u.key, u.name]));
      const out = await tempDir();
      const writer = await open(false);
      const applied = await applyLive(resolved, writer, {
        now: NOW,
        clock: () => NOW,
        outDir: out,
        context: { runId: 'run-7', trigger: 'merge', actor: 'alice', commit: null, runUrl: null },
      }).finally(() => writer.close());
      expect(applied.report.counts.applied).toBeGreaterThan(3);
      expect(state(sb)).not.toEqual(before);

      const source = fromAuditText(await readFile(path.join(out, 'audit.csv'), 'utf8'), 'audit.csv');
      const reverter = await open(
        false,
        source.rows.flatMap((r) => r.groups),
      );
      const reverted = await applyLive(resolved, reverter, {
        now: NOW,
        clock: () => NOW,
        outDir: await tempDir(),
        replan: (snapshot) => revertPlan(snapshot, resolved, source, NOW, reverter.adapter.capabilities),
        context: { runId: 'revert-7', trigger: 'manual', actor: 'alice', commit: null, runUrl: null },
      }).finally(() => reverter.close());
      expect(reverted.report.counts.failed).toBe(0);
      expect(reverted.report.counts.applied).toBeGreaterThan(0);

      // Every account and membership is back, except what cannot come back.
      const deleted = applied.report.results
        .filter((r) => r.outcome === 'applied' && r.change.kind === 'delete')
        .map((r) => nameOf.get(r.change.userId ?? '') ?? r.change.user);
      const created = applied.report.results
        .filter((r) => r.outcome === 'applied' && r.change.kind === 'create-user')
        .map((r) => r.change.user);
      const expected = Object.fromEntries(Object.entries(before).filter(([n]) => !deleted.includes(n)));
      const actual = Object.fromEntries(Object.entries(state(sb)).filter(([n]) => !created.includes(n)));
      expect(actual).toEqual(expected);
      const irreversible = reverted.plan.skipped.filter((s) => s.why === 'irreversible');
      expect(irreversible.map((s) => `${s.kind} ${nameOf.get(s.userId ?? '') ?? s.user}`).sort()).toEqual(
        [...deleted.map((u) => `delete ${u}`), ...created.map((u) => `create-user ${u}`)].sort(),
      );
      // The revert is a normal plan: its changes name the audit line they undo.
      for (const c of reverted.plan.changes) {
        expect(c.rule).toMatchObject({ type: 'revert', file: 'audit.csv', run: 'run-7' });
        expect(c.reason).toMatchObject({ type: 'revert', run: 'run-7' });
      }
    } finally {
      await sb.close();
    }
  });
});

describe('aup revert', () => {
  it('plans read-only, then applies the reviewed revert plan; a revert over the limits is refused', async () => {
    const f = jiraDcFixture;
    const sb = await f.start('10.3', org(f, 4), {});
    try {
      const dir = await tempDir();
      const policyFile = path.join(dir, 'policy.yml');
      await writeFile(policyFile, lifecyclePolicy(f));
      const env = cliEnv(sb, f.credentials(sb));
      const resolved = resolvedPolicy(lifecyclePolicy(f));
      const before = state(sb);
      const conn = await connect(resolved, {
        url: sb.url,
        credentials: f.credentials(sb),
        readOnly: false,
        clock: () => NOW,
      });
      await applyLive(resolved, conn, {
        now: NOW,
        clock: () => NOW,
        outDir: path.join(dir, 'out'),
        context: { runId: 'run-9', trigger: 'merge', actor: 'alice', commit: null, runUrl: null },
      }).finally(() => conn.close());
      const audit = path.join(dir, 'out', 'audit.csv');
      const cli = (values: Record<string, string | boolean>, io = capture()) =>
        revertCommand(
          {
            ...liveArgs({ policy: policyFile, now: NOW.toISOString(), ...values }, env, NOW, 'text'),
            audit,
            apply: values.apply === true,
            reviewedPlan: values.plan as string | undefined,
            yes: values.yes === true,
            trigger: 'manual',
            actor: 'alice',
            runId: 'cli-revert',
          },
          io,
        ).then((code) => ({ code, text: io.lines.join('\n') }));

      const writes = sb.requests.length;
      const planned = await cli({ out: path.join(dir, 'rv') });
      expect(planned.code, planned.text).toBe(0);
      expect(sb.requests.length).toBe(writes);
      expect(planned.text).toContain('reverting what run run-9 applied');
      expect(planned.text).toMatch(/cannot be reverted/);
      const plan = JSON.parse(await readFile(path.join(dir, 'rv', 'revert-plan.json'), 'utf8')) as Plan;
      expect(plan.changes.length).toBeGreaterThan(3);
      expect(plan.changes.map((c) => c.kind)).toContain('activate');
      expect(plan.changes.map((c) => c.kind)).toContain('add-member');

      // Over the limits: refused before any write.
      const strict = path.join(dir, 'strict.yml');
      await writeFile(strict, lifecyclePolicy(f).replace('limits: {', 'limits: { max_changes: 1,'));
      const refused = await revertCommand(
        {
          ...liveArgs({ policy: strict, now: NOW.toISOString(), out: path.join(dir, 'x') }, env, NOW, 'text'),
          audit,
          apply: true,
          yes: true,
          trigger: 'manual',
          actor: 'alice',
          runId: 'cli-revert',
        },
        capture(),
      ).catch((e: Error) => e.message);
      expect(refused).toMatch(/max_changes 1/);
      expect(sb.requests.length).toBe(writes);

      const applied = await cli({
        out: path.join(dir, 'rv'),
        apply: true,
        plan: path.join(dir, 'rv', 'revert-plan.json'),
      });
      expect(applied.code, applied.text).toBe(0);
      const after = state(sb);
      for (const [name, was] of Object.entries(before))
        if (after[name]) expect(after[name], name).toEqual(was);
    } finally {
      await sb.close();
    }
  });
});
