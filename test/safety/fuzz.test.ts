// Hostile input (issue 13): seeded mutations of policies, import CSVs, snapshots, plan files, audit files and
// API answers — truncated JSON, wrong types, huge strings, duplicate keys, YAML anchors and alias bombs, deep
// nesting, very long documents, pathological glob patterns — give diagnostics only: nothing throws an error of
// the kind only a defect throws (TypeError, RangeError, …), no message carries a stack trace or runs on for
// pages, nothing hangs (a case that did would time the test out), and an instance read through a broken answer
// gets no write and is never read as fewer users than it has. `npm run soak` runs more seeds (SOAK_FUZZ).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditCsv } from '../../src/app/audit-file.ts';
import { parsePlan } from '../../src/app/plan-file.ts';
import { planOrThrow, readAndPlan } from '../../src/app/plan-run.ts';
import { fromAuditText, revertPlan } from '../../src/app/revert-run.ts';
import { checkReviewedPlan } from '../../src/executor/stale.ts';
import type { Plan, Snapshot } from '../../src/model.ts';
import { connect } from '../../src/platforms/registry.ts';
import { type Diagnostic, formatDiagnostic, PolicyError } from '../../src/policy/diagnostics.ts';
import { describeUnexpected } from '../../src/commands/failure.ts';
import { parseImportCsv } from '../../src/policy/import-csv.ts';
import { resolvePolicyText } from '../../src/policy/load.ts';
import type { ResolvedPolicy } from '../../src/policy/resolved.ts';
import { auditCsvHeader, auditCsvRow, auditRecord, planCsv } from '../../src/report/csv.ts';
import { planJson } from '../../src/report/json.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { parseSnapshot } from '../../src/snapshot/load.ts';
import { FIXTURES } from '../contract/fixtures.ts';
import { contractOrg, lifecyclePolicy, NOW as CONTRACT_NOW } from '../contract/org.ts';
import { isReading, resolvedPolicy, ROOT, writesOf } from './helpers.ts';
import { JSON_MUTATIONS, mutate, TEXT_MUTATIONS, YAML_MUTATIONS } from './fuzz/mutate.ts';
import { startMutatingProxy } from './fuzz/proxy.ts';

const SCALE = Number(process.env.SOAK_FUZZ ?? 1);
const NOW = new Date('2026-11-25T00:00:00Z');
const DEFECTS = [
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'AssertionError',
  'InternalError',
];

/** What the CLI prints for an error (the Action's message is the same text): a described failure, short lines. */
function expectDescribed(e: unknown, what: string): void {
  expect(e, what).toBeInstanceOf(Error);
  const err = e as Error;
  expect(DEFECTS.includes(err.name) ? `${err.name}: ${err.message.slice(0, 300)}` : 'described', what).toBe(
    'described',
  );
  const printed =
    e instanceof PolicyError ? e.diagnostics.map(formatDiagnostic).join('\n') : describeUnexpected(e, false);
  expect(printed, what).not.toMatch(/\n\s+at |This is a bug/);
  for (const line of printed.split('\n'))
    expect(line.length, `${what}: ${line.slice(0, 120)}…`).toBeLessThan(2000);
}

function expectDiagnostics(ds: readonly Diagnostic[], what: string): void {
  for (const d of ds) {
    expect(d.line, what).toBeGreaterThanOrEqual(1);
    expect(d.col, what).toBeGreaterThanOrEqual(1);
    const printed = formatDiagnostic(d);
    expect(printed, what).not.toMatch(/\n\s+at /);
    for (const line of printed.split('\n'))
      expect(line.length, `${what}: ${line.slice(0, 120)}…`).toBeLessThan(2000);
  }
}

/** Runs `f`; a PolicyError (or the given error classes) is a diagnostic, anything else must be described. */
function tolerant<T>(f: () => T, what: string): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof PolicyError) expectDiagnostics(e.diagnostics, what);
    else expectDescribed(e, what);
    return undefined;
  }
}

function renders(plan: Plan, what: string): void {
  for (const render of [
    () => renderTerminal(plan, { color: false }),
    () => renderMarkdown(plan),
    () => planCsv(plan),
    () => planJson(plan),
  ])
    tolerant(render, `${what} (rendering)`);
}

const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');

describe('fuzz: files a user gives the tool', async () => {
  // Policies with the snapshot each is planned against.
  const cases = await Promise.all(
    [
      ['policies/example.yml', 'examples/snapshot.json'],
      ['test/cases/staged-lifecycle/policy.yml', 'test/cases/staged-lifecycle/snapshot.json'],
      ['test/cases/csv-import/policy.yml', 'test/cases/csv-import/snapshot.json'],
      ['test/cases/exclusions/policy.yml', 'test/cases/exclusions/snapshot.json'],
      ['policies/examples/crowd.yml', 'test/cases/staged-lifecycle/snapshot.json'],
    ].map(async ([p, s]) => ({ policy: await read(p!), snapshot: parseSnapshot(await read(s!), s!) })),
  );
  const csv = await read('test/cases/csv-import/new-hires.csv');
  // Snapshots, reviewed plans and audits are mutated from a small case (the error paths re-read the text).
  const snapshotText = await read('test/cases/staged-lifecycle/snapshot.json');
  const snapshot = parseSnapshot(snapshotText, 'snapshot.json');
  const lifecycle = (await resolvePolicyText(cases[1]!.policy, 'policy.yml', async () => csv)).resolved!;
  const plan = planOrThrow(snapshot, lifecycle, NOW);
  const planText = planJson(plan);
  const context = {
    runId: '42',
    trigger: 'merge',
    actor: 'a',
    platform: snapshot.platform,
    instance: snapshot.instance,
    commit: null,
    runUrl: null,
  };
  const auditText =
    auditCsvHeader() +
    plan.changes
      .map((c) => auditCsvRow(auditRecord({ change: c, outcome: 'applied', at: NOW.toISOString() }, context)))
      .join('');

  it(`${400 * SCALE} policies: diagnostics located in the file, plans that render, or both`, async () => {
    for (let seed = 1; seed <= 400 * SCALE; seed++) {
      const base = cases[seed % cases.length]!;
      const m = mutate(base.policy, seed, YAML_MUTATIONS);
      const what = `policy seed ${seed} (${m.name})`;
      let resolved: ResolvedPolicy | null = null;
      try {
        const r = await resolvePolicyText(m.text, 'fuzz.yml', async (f) => {
          if (f.endsWith('new-hires.csv')) return mutate(csv, seed, TEXT_MUTATIONS).text;
          throw new Error(`ENOENT: no such file, open '${f}'`);
        });
        expectDiagnostics(r.diagnostics, what);
        resolved = r.resolved;
      } catch (e) {
        expectDescribed(e, what);
      }
      if (!resolved) continue;
      const p = tolerant(() => planOrThrow(base.snapshot, resolved!, NOW), what);
      if (p) renders(p, what);
    }
  });

  it(`${150 * SCALE} import CSVs: every problem named by line and column`, () => {
    for (let seed = 1; seed <= 150 * SCALE; seed++) {
      const m = mutate(csv, seed, TEXT_MUTATIONS);
      const what = `import seed ${seed} (${m.name})`;
      const r = tolerant(() => parseImportCsv(m.text, 'new-hires.csv'), what);
      if (r) expectDiagnostics(r.diagnostics, what);
    }
  });

  it(`${150 * SCALE} snapshots: a snapshot that plans, or diagnostics`, () => {
    for (let seed = 1; seed <= 150 * SCALE; seed++) {
      const m = mutate(snapshotText, seed, JSON_MUTATIONS);
      const what = `snapshot seed ${seed} (${m.name})`;
      const s: Snapshot | undefined = tolerant(() => parseSnapshot(m.text, 'snapshot.json'), what);
      if (!s) continue;
      const p = tolerant(() => planOrThrow(s, lifecycle, NOW), what);
      if (p) renders(p, what);
    }
  });

  it(`${150 * SCALE} reviewed plan files: read exactly, or refused naming the field`, () => {
    for (let seed = 1; seed <= 150 * SCALE; seed++) {
      const m = mutate(planText, seed, JSON_MUTATIONS);
      const what = `plan seed ${seed} (${m.name})`;
      const reviewed = tolerant(() => parsePlan(m.text, 'plan.json'), what);
      if (reviewed) {
        tolerant(() => checkReviewedPlan(reviewed, plan), what);
        renders(reviewed, what);
      }
    }
  });

  it(`${100 * SCALE} audit files to revert: a revert plan, or diagnostics`, () => {
    for (let seed = 1; seed <= 100 * SCALE; seed++) {
      const m = mutate(auditText, seed, TEXT_MUTATIONS);
      const what = `audit seed ${seed} (${m.name})`;
      const rows = tolerant(() => parseAuditCsv(m.text, 'audit.csv'), what);
      if (!rows) continue;
      const p = tolerant(
        () => revertPlan(snapshot, lifecycle, fromAuditText(m.text, 'audit.csv'), NOW),
        what,
      );
      if (p) renders(p, what);
    }
  });
});

describe.each(FIXTURES)('fuzz: $platform answers', (f) => {
  it(`${50 * SCALE} mutated answers: a described failure or the whole instance, never a write`, async () => {
    const version = f.versions[f.versions.length - 1]!;
    const sb = await f.start(version, contractOrg(f), { maxPageSize: 3 });
    try {
      const resolved = resolvedPolicy(lifecyclePolicy(f));
      const credentials = f.credentials(sb);
      const clean = await connect(resolved, {
        url: sb.url,
        credentials,
        readOnly: true,
        clock: () => CONTRACT_NOW,
      });
      const baseline = await readAndPlan(resolved, clean, CONTRACT_NOW).finally(() => clean.close());
      const answers = sb.allRequests.filter((r) => r.method === 'GET' || isReading(f, r)).length;
      for (let seed = 1; seed <= 50 * SCALE; seed++) {
        const proxy = await startMutatingProxy(sb.url, seed, seed % answers);
        const conn = await connect(resolved, {
          url: proxy.url,
          credentials,
          readOnly: true,
          clock: () => CONTRACT_NOW,
          sleep: async () => {},
        });
        const what = () => `${f.platform} seed ${seed}: ${proxy.mutated.join('; ')}`;
        const r = await readAndPlan(resolved, conn, CONTRACT_NOW)
          .catch((e: unknown) => void expectDescribed(e, what()))
          .finally(async () => {
            await conn.close();
            await proxy.close();
          });
        if (!r) continue;
        // A read that goes through holds every user: a broken page never reads as people gone.
        expect(r.snapshot.users.length, what()).toBe(baseline.snapshot.users.length);
        renders(r.plan, what());
      }
      expect(writesOf(sb, f)).toEqual([]);
    } finally {
      await sb.close();
    }
  }, 300_000);
});
