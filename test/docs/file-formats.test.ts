// docs/file-formats.md names every field of the plan and snapshot schemas and every column of the CSV files the
// tool writes, so a field added to the code without a word in the docs fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { REFUSAL_COLUMNS } from '../../src/app/refusals.ts';
import { planSchema } from '../../src/app/plan-file.ts';
import { AUDIT_COLUMNS, GROUP_COLUMNS, INVENTORY_COLUMNS, PLAN_COLUMNS } from '../../src/report/csv.ts';
import { snapshotSchema } from '../../src/snapshot/schema.ts';
import { PLAN_FORMAT_VERSION, SNAPSHOT_FORMAT_VERSION } from '../../src/model.ts';

const DOC = 'docs/file-formats.md';

/** Object keys of a zod object schema (through optional/nullable/array wrappers). */
function keysOf(schema: z.ZodType): string[] {
  let s = schema as unknown as {
    shape?: Record<string, z.ZodType>;
    unwrap?: () => z.ZodType;
    element?: z.ZodType;
  };
  for (let i = 0; i < 5 && !s.shape; i++) {
    if (s.unwrap) s = s.unwrap() as typeof s;
    else if (s.element) s = s.element as typeof s;
    else break;
  }
  return Object.keys(s.shape ?? {});
}

/** The names written in code spans of a text (`users[]`, `{ id, name, readOnly }` …). */
function codeNames(text: string): Set<string> {
  return new Set([...text.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/[^A-Za-z0-9_-]+/)));
}

describe(DOC, () => {
  it('names the format versions the code writes', async () => {
    const doc = await readFile(DOC, 'utf8');
    expect(doc).toContain(`\`formatVersion: ${PLAN_FORMAT_VERSION}\``);
    expect(doc).toMatch(new RegExp(`\`formatVersion:\\s+${SNAPSHOT_FORMAT_VERSION}\``));
    expect(doc).toContain('format 1');
  });

  it('names every field of plan.json', async () => {
    const doc = await readFile(DOC, 'utf8');
    const plan = doc.slice(doc.indexOf('## Plan'), doc.indexOf('## Snapshot'));
    const shape = planSchema.shape;
    const fields = [
      ...keysOf(planSchema),
      ...keysOf(shape.snapshot),
      ...keysOf(shape.policy),
      ...keysOf(shape.skipped),
      ...keysOf(shape.upcoming),
      ...keysOf(shape.limits),
      ...keysOf(shape.activity),
      ...keysOf(shape.summary),
      ...shape.changes.element.options.flatMap((o) => keysOf(o)),
    ];
    const names = codeNames(plan);
    for (const f of new Set(fields)) expect(names.has(f), `plan.json field ${f}`).toBe(true);
  });

  it('names every field of a snapshot and of its users', async () => {
    const doc = await readFile(DOC, 'utf8');
    const snap = doc.slice(doc.indexOf('## Snapshot'), doc.indexOf('## CSV files'));
    const shape = snapshotSchema.shape;
    const names = codeNames(snap);
    for (const f of [...keysOf(snapshotSchema), ...keysOf(shape.users), ...keysOf(shape.groups)])
      expect(names.has(f), `snapshot field ${f}`).toBe(true);
  });

  it('names every column of plan.csv, inventory.csv, groups.csv, audit.csv and refused.csv', async () => {
    const doc = await readFile(DOC, 'utf8');
    const csv = doc.slice(doc.indexOf('## CSV files'));
    const sections: [string, readonly string[]][] = [
      ['**`plan.csv`**', PLAN_COLUMNS],
      ['**`inventory.csv`**', INVENTORY_COLUMNS],
      ['**`groups.csv`**', GROUP_COLUMNS],
      ['**`audit.csv`**', AUDIT_COLUMNS],
      ['**`refused.csv`**', REFUSAL_COLUMNS],
    ];
    for (const [title, columns] of sections) {
      const at = csv.indexOf(title);
      expect(at, title).toBeGreaterThanOrEqual(0);
      const item = csv.slice(at, csv.indexOf('\n- ', at + 1));
      for (const c of columns) expect(item, `${title} ${c}`).toContain(`\`${c}\``);
    }
  });
});
