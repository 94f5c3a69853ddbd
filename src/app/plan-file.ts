// Reading a plan.json (a reviewed plan to hold an apply to): through a schema, so a plan of another format
// version is refused with both versions named and what to do, and a damaged file is refused with the field —
// never a crash, never a silent misread.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CHANGE_KINDS, type Plan, PLAN_FORMAT_VERSION, PLATFORMS, SKIP_REASONS } from '../model.ts';
import { formatPath } from '../policy/diagnostics.ts';

export class PlanFileError extends Error {
  override name = 'PlanFileError';
}

const iso = z.string().min(1);
const ruleRef = z.discriminatedUnion('type', [
  z.object({ type: z.literal('inactivity'), name: z.string(), index: z.number().int() }),
  z.object({ type: z.literal('group'), group: z.string() }),
  z.object({ type: z.literal('user'), index: z.number().int(), name: z.string() }),
  z.object({ type: z.literal('import'), file: z.string(), line: z.number().int(), name: z.string() }),
  z.object({ type: z.literal('revert'), file: z.string(), line: z.number().int(), run: z.string() }),
]);
const reason = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('inactive'),
    lastActive: iso.nullable(),
    created: iso.nullable(),
    neverLoggedIn: z.boolean(),
    days: z.number(),
    thresholdDays: z.number(),
  }),
  z.object({ type: z.literal('declared'), state: z.enum(['active', 'inactive', 'absent']) }),
  z.object({ type: z.literal('group-exact'), group: z.string() }),
  z.object({ type: z.literal('group-member'), group: z.string(), source: ruleRef }),
  z.object({ type: z.literal('returned'), removedAt: iso, run: z.string(), lastActive: iso }),
  z.object({ type: z.literal('revert'), of: z.enum(CHANGE_KINDS), run: z.string(), at: z.string() }),
]);
const base = {
  user: z.string(),
  displayName: z.string().optional(),
  userId: z.string().nullable(),
  rule: ruleRef,
  reason,
  operation: z.string().optional(),
  notes: z.array(z.string()).optional(),
};
const change = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('create-user'),
    email: z.string().nullable(),
    displayName: z.string(),
  }),
  z.object({ ...base, kind: z.literal('activate') }),
  z.object({ ...base, kind: z.literal('deactivate') }),
  z.object({ ...base, kind: z.literal('delete') }),
  z.object({
    ...base,
    kind: z.literal('remove-access'),
    groups: z.array(z.string()),
    direct: z.array(z.string()).optional(),
  }),
  z.object({ ...base, kind: z.literal('add-member'), group: z.string() }),
  z.object({ ...base, kind: z.literal('remove-member'), group: z.string() }),
]);

export const planSchema = z.object({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  generatedAt: iso,
  policy: z.object({ path: z.string(), sha256: z.string() }),
  snapshot: z.object({
    platform: z.enum(PLATFORMS),
    instance: z.string(),
    takenAt: iso,
    fingerprint: z.string(),
    users: z.number(),
    version: z.string().optional(),
  }),
  applyable: z.boolean(),
  changes: z.array(change),
  skipped: z.array(
    z.object({
      user: z.string(),
      userId: z.string().nullable(),
      rule: ruleRef,
      kind: z.enum(CHANGE_KINDS),
      group: z.string().optional(),
      why: z.enum(SKIP_REASONS),
      detail: z.string(),
    }),
  ),
  upcoming: z.array(
    z.object({
      user: z.string(),
      userId: z.string(),
      rule: ruleRef,
      action: z.enum(['deactivate', 'remove-access', 'delete']),
      date: z.string(),
      inDays: z.number(),
    }),
  ),
  upcomingDays: z.number().int().nonnegative().optional(),
  limits: z.array(
    z.object({
      name: z.enum(['max_changes', 'max_deactivations', 'max_deletions', 'max_removals', 'max_fraction']),
      limit: z.number(),
      actual: z.number(),
      exceeded: z.boolean(),
      message: z.string(),
    }),
  ),
  warnings: z.array(z.string()),
  activity: z
    .object({
      source: z.string(),
      available: z.boolean(),
      selected: z.number(),
      unknown: z.number(),
      alert: z.string().nullable(),
    })
    .nullable(),
  summary: z.object({
    users: z.number(),
    counts: z.record(z.enum(CHANGE_KINDS), z.number()),
    total: z.number(),
    destructive: z.number(),
    skipped: z.partialRecord(z.enum(SKIP_REASONS), z.number()),
    upcoming: z.number(),
    seatsFreed: z.number(),
    seatsByProduct: z.record(z.string(), z.number()).optional(),
    saving: z
      .object({
        amount: z.number(),
        currency: z.string(),
        per: z.enum(['month', 'year']),
        byProduct: z.record(z.string(), z.number()).optional(),
        unpriced: z.array(z.string()).optional(),
      })
      .nullable(),
  }),
});

/** A plan from its JSON text; `file` names it in every error. */
export function parsePlan(text: string, file: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(`${file}: not a plan.json: ${(e as Error).message}`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof raw !== 'object' || raw === null || version === undefined)
    throw new PlanFileError(`${file}: not a plan.json (no formatVersion)`);
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      `${file} is a plan of formatVersion ${typeof version === 'object' && version !== null ? (Array.isArray(version) ? 'a list' : 'an object') : JSON.stringify(version)}; this version of aup reads plans of formatVersion ${PLAN_FORMAT_VERSION}. Plan again with this version (aup plan, or the pull request's plan job) and review the new plan.`,
    );
  }
  let result: ReturnType<typeof planSchema.safeParse>;
  try {
    result = planSchema.safeParse(raw);
  } catch (e) {
    if (e instanceof RangeError)
      throw new PlanFileError(`${file}: not a valid plan.json: it nests too deeply`);
    throw e;
  }
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PlanFileError(`${file}: not a valid plan.json: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return result.data as Plan;
}

export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PlanFileError(`reading the reviewed plan ${file}: ${(e as Error).message}`);
  }
  return parsePlan(text, file);
}
