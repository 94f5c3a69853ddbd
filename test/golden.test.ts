// Golden directories: test/cases/<name>/{policy.yml, snapshot.json, plan.json, plan.md} with a fixed now.
// Regenerate with UPDATE_GOLDEN=1 npm test, then review the diff like any code change.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOrThrow } from '../src/app/plan-run.ts';
import type { Snapshot } from '../src/model.ts';
import { formatDiagnostic, PolicyError } from '../src/policy/diagnostics.ts';
import { loadPolicy } from '../src/policy/load.ts';
import { planJson } from '../src/report/json.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { loadSnapshot } from '../src/snapshot/load.ts';
import { largeSnapshot } from './helpers/large.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const ROOT = path.join(import.meta.dirname, 'cases');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface CaseConfig {
  generate?: { users: number };
  planJson?: boolean;
}

function golden(file: string, actual: string): void {
  if (UPDATE || !existsSync(file)) {
    writeFileSync(file, actual);
    if (!UPDATE)
      throw new Error(`golden file ${file} was missing and has been written; review it and run again`);
    return;
  }
  expect(actual, `${path.relative(process.cwd(), file)} differs (UPDATE_GOLDEN=1 regenerates)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

describe('golden cases', () => {
  for (const name of readdirSync(ROOT).sort()) {
    const dir = path.join(ROOT, name);
    const cfgFile = path.join(dir, 'case.json');
    const cfg: CaseConfig = existsSync(cfgFile) ? JSON.parse(readFileSync(cfgFile, 'utf8')) : {};
    it(name, async () => {
      const snapshot: Snapshot = cfg.generate
        ? largeSnapshot(cfg.generate.users, NOW)
        : await loadSnapshot(path.join(dir, 'snapshot.json'));
      let plan;
      try {
        const resolved = await loadPolicy('policy.yml', { baseDir: dir });
        plan = planOrThrow(snapshot, resolved, NOW);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        golden(path.join(dir, 'error.txt'), `${e.diagnostics.map(formatDiagnostic).join('\n')}\n`);
        return;
      }
      expect(existsSync(path.join(dir, 'error.txt')), 'error.txt exists but the plan succeeded').toBe(false);
      if (cfg.planJson === false) {
        const { changes: _c, skipped: _s, upcoming: _u, ...rest } = plan;
        golden(
          path.join(dir, 'plan.summary.json'),
          planJson({ ...rest, changes: [], skipped: [], upcoming: [] }),
        );
      } else {
        golden(path.join(dir, 'plan.json'), planJson(plan));
      }
      golden(path.join(dir, 'plan.md'), renderMarkdown(plan));
    });
  }
});
