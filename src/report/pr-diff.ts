// What a pull request's edit of the policy adds to the plan: the head plan compared with the plan of the
// base branch's policy against the same snapshot. A change present in both would happen anyway (the
// instance drifted, or a user crossed a threshold); a change only the head plan has exists because of
// this edit, so a newly enforced rule or exact group is called out with the number of users it touches.
// Pure: both plans are given.
import { canonical } from '../model/identity.ts';
import { type Change, type ChangeKind, changeKey, isDestructive, type Plan, type RuleRef } from '../model.ts';
import type { Policy } from '../policy/schema.ts';
import { escapeMarkdown as esc } from './escape.ts';
import { formatInt, plural } from './format.ts';

/** How a policy enforces each rule id a change can name (`change.rule`), keyed in lower case. */
export type PolicyRules = Record<string, 'inactivity' | 'exact' | 'additive' | 'users' | 'import'>;

/** The base branch's side of the comparison. */
export type BaseComparison =
  | {
      kind: 'planned';
      /** The base policy planned against the head's snapshot. */
      plan: Plan;
      /** What the base policy enforces (policyRules), to tell a new rule from one with new effects. */
      rules: PolicyRules;
      /** Things that make the comparison less than exact, one sentence each (shown as a note). */
      caveats?: string[];
    }
  /** The policy file does not exist on the base branch: every change is new. */
  | { kind: 'new-file' }
  /** The base policy could not be read or planned; `reason` says why (shown, escaped). */
  | { kind: 'unavailable'; reason: string };

export interface PrDiffOptions {
  /** How the base is named, e.g. "main" or "main (1a2b3c4)". */
  baseName?: string;
  /** Rules listed before "… and N more"; default 20. */
  maxRules?: number;
}

/** Per rule (`change.rule`), how many of each kind; rules in order of their first change. */
export interface RuleDelta {
  /** The rule id (ruleId): `dormant`, `groups.developers`, `users`, `import`. */
  rule: string;
  /** What kind of policy part it is. */
  type: RuleRef['type'];
  counts: Partial<Record<ChangeKind, number>>;
  total: number;
  /** The base policy does not have this rule (or group, users, import): its first enforcement. */
  firstEnforcement: boolean;
  /** The plan removes members for it, which only an `exact` group does. */
  exactGroup: boolean;
  /** An exact group the base policy has as additive: removing members is new. */
  nowExact: boolean;
}

export interface PrDelta {
  /** In the head plan, not in the base plan. */
  added: Change[];
  /** In the base plan, not in the head plan: enforcement this edit takes away. */
  dropped: Change[];
}

/**
 * The rule id a change is counted under: an inactivity rule's name, `groups.<name>`, or `users` / `import`
 * for every explicit user and imported row (a reviewer reads those as one kind of rule).
 */
export function ruleId(ref: RuleRef): string {
  switch (ref.type) {
    case 'inactivity':
      return ref.name;
    case 'group':
      return `groups.${ref.group}`;
    case 'user':
      return 'users';
    case 'import':
      return 'import';
    case 'revert':
      return 'revert';
  }
}

/** The rule ids a policy can put in `change.rule`, as the planner names them. */
export function policyRules(policy: Policy): PolicyRules {
  const rules: PolicyRules = {};
  for (const r of policy.inactivity) rules[canonical(r.name)] = 'inactivity';
  for (const [name, g] of Object.entries(policy.groups)) rules[canonical(`groups.${name}`)] = g.mode;
  // Memberships of declared users count under `users`, whether users[] or an import declares them.
  if (policy.users.length > 0 || policy.import.length > 0) rules.users = 'users';
  if (policy.import.length > 0) rules.import = 'import';
  return rules;
}

/** Changes the head plan has and the base plan lacks, and the reverse, compared by changeKey. */
export function diffPlans(base: Plan, head: Plan): PrDelta {
  const baseKeys = new Set(base.changes.map(changeKey));
  const headKeys = new Set(head.changes.map(changeKey));
  return {
    added: head.changes.filter((c) => !baseKeys.has(changeKey(c))),
    dropped: base.changes.filter((c) => !headKeys.has(changeKey(c))),
  };
}

/**
 * Groups `changes` (taken from `plan`) by rule. `baseRules` (null: no base, e.g. a new file) tells
 * which rules are new and which groups turned exact.
 */
export function byRule(changes: readonly Change[], plan: Plan, baseRules: PolicyRules | null): RuleDelta[] {
  const rules = new Map<string, RuleDelta>();
  const removing = new Set(plan.changes.filter((c) => c.kind === 'remove-member').map((c) => ruleId(c.rule)));
  for (const c of changes) {
    const id = ruleId(c.rule);
    let r = rules.get(id);
    if (!r) {
      const was = baseRules?.[canonical(id)];
      const exactGroup = c.rule.type === 'group' && removing.has(id);
      r = {
        rule: id,
        type: c.rule.type,
        counts: {},
        total: 0,
        firstEnforcement: baseRules !== null && was === undefined,
        exactGroup,
        nowExact: exactGroup && was === 'additive',
      };
      rules.set(id, r);
    }
    r.counts[c.kind] = (r.counts[c.kind] ?? 0) + 1;
    r.total += 1;
  }
  return [...rules.values()];
}

const HEADING = '#### Changes this pull request adds';
const DEFAULT_MAX_RULES = 20;
/** Kinds in the order a reviewer should read them: what takes something away first. */
const KIND_ORDER: readonly ChangeKind[] = [
  'delete',
  'deactivate',
  'remove-access',
  'remove-member',
  'create-user',
  'activate',
  'add-member',
];

/**
 * The Markdown section for the PR comment (placed under the status line). The caller leaves it out
 * when the pull request does not edit the policy file. User text is escaped.
 */
export function renderPrDiff(head: Plan, base: BaseComparison, opts: PrDiffOptions = {}): string {
  const where = opts.baseName ? esc(opts.baseName) : 'the base branch';
  const maxRules = opts.maxRules ?? DEFAULT_MAX_RULES;

  if (base.kind === 'unavailable') {
    return [
      HEADING,
      '',
      '> [!NOTE]',
      `> The policy on ${where} could not be planned (${esc(base.reason)}), so the changes that exist only ` +
        'because of this pull request are not called out.',
    ].join('\n');
  }

  if (base.kind === 'new-file') {
    if (head.changes.length === 0)
      return [HEADING, '', `The policy file is new in this pull request; it plans no change.`].join('\n');
    return [
      HEADING,
      '',
      `The policy file is new in this pull request (it does not exist on ${where}): all ` +
        `${plural(head.changes.length, 'change')} come from it.`,
      '',
      ...ruleLines(byRule(head.changes, head, null), maxRules),
    ].join('\n');
  }

  const { added, dropped } = diffPlans(base.plan, head);
  const lines = [HEADING, ''];
  if (added.length === 0) {
    lines.push(
      `This pull request's edit of the policy adds no change: the policy on ${where} already plans every change listed here.`,
    );
  } else {
    lines.push(
      `${plural(added.length, 'change')} ${added.length === 1 ? 'comes' : 'come'} only from this pull ` +
        `request's edit of the policy: the policy on ${where} does not plan ${added.length === 1 ? 'it' : 'them'} ` +
        'against the same snapshot.',
      '',
      ...ruleLines(byRule(added, head, base.rules), maxRules),
    );
  }
  if (dropped.length > 0) {
    const rules = byRule(dropped, base.plan, null);
    const named = rules.slice(0, maxRules).map((r) => `${ruleLabel(r)} ${formatInt(r.total)}`);
    const more = rules.length > maxRules ? ', …' : '';
    lines.push(
      '',
      `The edit also drops ${plural(dropped.length, 'change')} the policy on ${where} plans: ` +
        `${named.join(', ')}${more}.`,
    );
  }
  for (const caveat of base.caveats ?? []) lines.push('', `_Note: ${esc(caveat)}_`);
  return lines.join('\n');
}

function ruleLines(rules: RuleDelta[], maxRules: number): string[] {
  const news = (r: RuleDelta) => Number(r.firstEnforcement || r.nowExact);
  const sorted = [...rules].sort(
    (a, b) => news(b) - news(a) || b.total - a.total || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  const shown = sorted.slice(0, maxRules);
  const lines = shown.map((r) => {
    const first = r.firstEnforcement
      ? ' — **newly enforced**'
      : r.nowExact
        ? ' — **now exact** (additive on the base branch)'
        : '';
    return `- ${ruleLabel(r)}${first}: ${effects(r)}`;
  });
  const rest = sorted.slice(maxRules);
  if (rest.length > 0) {
    const n = rest.reduce((sum, r) => sum + r.total, 0);
    lines.push(`- … and ${plural(rest.length, 'more rule')} (${plural(n, 'change')})`);
  }
  return lines;
}

/** "rule **dormant**", "exact group **developers**", "declared **users**", "**imported** users". */
function ruleLabel(r: Pick<RuleDelta, 'rule' | 'type' | 'exactGroup'>): string {
  switch (r.type) {
    case 'group':
      return `${r.exactGroup ? 'exact group' : 'group'} **${esc(r.rule.slice('groups.'.length))}**`;
    case 'user':
      return 'declared **users**';
    case 'import':
      return '**imported** users';
    case 'inactivity':
      return `rule **${esc(r.rule)}**`;
    case 'revert':
      return '**revert**';
  }
}

const EFFECTS: Record<ChangeKind, (n: number) => string> = {
  delete: (n) => `delete ${plural(n, 'user')}`,
  deactivate: (n) => `deactivate ${plural(n, 'user')}`,
  'remove-access': (n) => `remove product access of ${plural(n, 'user')}`,
  'remove-member': (n) => `remove ${plural(n, 'member')}`,
  'create-user': (n) => `create ${plural(n, 'user')}`,
  activate: (n) => `activate ${plural(n, 'user')}`,
  'add-member': (n) => `add ${plural(n, 'member')}`,
};

/** "⚠️ deactivate 12 users, add 1 member": destructive kinds marked, biggest harm first. */
function effects(r: RuleDelta): string {
  return KIND_ORDER.filter((k) => (r.counts[k] ?? 0) > 0)
    .map((k) => `${isDestructive(k) ? '⚠️ ' : ''}${EFFECTS[k](r.counts[k] ?? 0)}`)
    .join(', ');
}
