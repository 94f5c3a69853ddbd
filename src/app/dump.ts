// `aup dump`: a policy that reproduces today's state of an instance, for a new adopter's first, empty plan — the
// named groups as `mode: exact` with their members, the administrators protected, and starter inactivity rules,
// commented out, each with the number of users it would touch today as the planner counts it. Pure: the snapshot
// and the reference to the schema come in.
import { stringify } from 'yaml';
import type { Capabilities, ChangeKind, Plan, Snapshot } from '../model.ts';
import { canonical, compareNames, uniqueNames } from '../model/identity.ts';
import { adminSets } from '../planner/admins.ts';
import { unknownGroupMessage } from '../planner/names.ts';
import { type Diagnostic, formatDiagnostic } from '../policy/diagnostics.ts';
import { parsePolicyText } from '../policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../policy/resolved.ts';
import type { Policy } from '../policy/schema.ts';
import { isoDay } from '../days.ts';
import { plural } from '../plural.ts';
import { stripControl } from '../report/escape.ts';
import { capabilitiesOf, planOrThrow } from './plan-run.ts';

export interface DumpInput {
  snapshot: Snapshot;
  /** The policy that named the instance: its `instance` settings are kept. */
  policy: Policy;
  /** The groups to manage exactly (as given on the command line). */
  groups: string[];
  /** The instance's URL, written as instance.url (none: the policy's, if any). */
  url?: string;
  /** `$schema=` of the header: a path relative to the written file, or a URL. */
  schemaRef: string;
  now: Date;
  /** What the platform can do (default: the snapshot's own, else its driver's). */
  capabilities?: Capabilities;
}

export class DumpError extends Error {
  override name = 'DumpError';
}

/** The starter rules' stages: the mildest first; each where the platform (and the policy) can do it. */
const STAGES: { days: number; name: string; action: 'remove-access' | 'deactivate' | 'delete' }[] = [
  { days: 90, name: 'seat', action: 'remove-access' },
  { days: 180, name: 'dormant', action: 'deactivate' },
  { days: 365, name: 'purge', action: 'delete' },
];

const VERB: Record<(typeof STAGES)[number]['action'], string> = {
  'remove-access': 'take the product access of',
  deactivate: 'deactivate',
  delete: 'delete',
};

interface Starter {
  name: string;
  days: number;
  action: (typeof STAGES)[number]['action'];
}

/** The starter rules the instance can take, and why a stage is left out. */
function starters(policy: Policy, caps: Capabilities): { rules: Starter[]; left: string[] } {
  const left: string[] = [];
  const can = (kind: ChangeKind) => caps[kind];
  const rules: Starter[] = [];
  for (const s of STAGES) {
    const c = can(s.action);
    if (!c.supported) left.push(`no ${s.action} rule: ${c.reason}`);
    else if (s.action === 'remove-access' && policy.instance.access_groups.length === 0)
      left.push('no remove-access rule: it needs instance.access_groups (the groups that grant a seat)');
    else rules.push(s);
  }
  // The first stage starts at 90 days whichever it is (a platform without remove-access deactivates at 90).
  if (rules.length > 0 && rules[0]!.days !== 90 && rules[0]!.action !== 'delete')
    rules[0] = { ...rules[0]!, days: 90 };
  return { rules: rules.map((r) => ({ ...r, name: `${r.name}-${r.days}` })), left };
}

const yamlOf = (value: unknown) => stringify(value, { lineWidth: 0 }).trimEnd();
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? `${by}${l}` : l))
    .join('\n');
const commented = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `# ${l}` : '#'))
    .join('\n');

/** The source policy's `instance`, every key it set (whatever the platform's keys are), without the defaults. */
function instanceOf(policy: Policy, url: string | undefined): Record<string, unknown> {
  const { platform, url: own, activity, allow_insecure_http: insecure, lease, ...rest } = policy.instance;
  const set = (v: unknown) => v !== undefined && !(Array.isArray(v) && v.length === 0);
  // Safety switches are written only when the source policy turned them from their defaults.
  if (insecure) Object.assign(rest, { allow_insecure_http: true });
  if (lease === false) Object.assign(rest, { lease: false });
  const activityKeys = Object.fromEntries(Object.entries(activity).filter(([, v]) => set(v)));
  const defaultActivity = Object.keys(activityKeys).length === 1 && activityKeys.source === 'auto';
  return {
    platform,
    ...((url ?? own) ? { url: url ?? own } : {}),
    ...(defaultActivity ? {} : { activity: activityKeys }),
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => set(v))),
  };
}

function parsed(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'dump.yml');
  if (!r.policy)
    throw new Error(
      `the dumped policy is not valid (a defect of aup dump):\n${r.diagnostics.map((d: Diagnostic) => formatDiagnostic(d)).join('\n')}`,
    );
  return { path: 'dump.yml', sha256: 'dump', policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

/** Users a rule acts on in a plan, and how many it had to skip (by reason). */
function touched(plan: Plan, rule: string): { users: number; skipped: Map<string, number> } {
  const users = new Set(
    plan.changes.filter((c) => c.rule.type === 'inactivity' && c.rule.name === rule).map((c) => c.userId),
  );
  const skipped = new Map<string, number>();
  for (const s of plan.skipped)
    if (s.rule.type === 'inactivity' && s.rule.name === rule)
      skipped.set(s.why, (skipped.get(s.why) ?? 0) + 1);
  return { users: users.size, skipped };
}

export interface Dumped {
  text: string;
  /** Groups written, with their member counts. */
  groups: { name: string; members: number }[];
  /** Users the starter rules would touch today, per rule. */
  starters: { name: string; action: string; days: number; users: number }[];
}

export function dumpPolicy(d: DumpInput): Dumped {
  const { snapshot } = d;
  const caps = d.capabilities ?? capabilitiesOf(snapshot);
  const problems = uniqueNames(d.groups)
    .filter((g) => !snapshot.groups.some((sg) => canonical(sg.name) === canonical(g)))
    .map((g) => unknownGroupMessage(snapshot, '--groups', g));
  if (problems.length > 0) throw new DumpError(problems.join('\n'));

  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  const sets = adminSets(snapshot);
  const protectGroups = uniqueNames(sets.flatMap((s) => (s.group ? [s.group] : [])));
  const protectUsers = uniqueNames(
    sets
      .filter((s) => !s.group)
      .flatMap((s) => s.members.flatMap((id) => byId.get(id)?.name ?? []))
      .sort(compareNames),
  );
  const groups = uniqueNames(d.groups).map((asked) => {
    const g = snapshot.groups.find((sg) => canonical(sg.name) === canonical(asked))!;
    const members = snapshot.users
      .filter((u) => u.groups.some((ug) => canonical(ug) === canonical(g.name)))
      .map((u) => u.name)
      .sort(compareNames);
    return { group: g, members };
  });

  const day = isoDay(d.now);
  // Text from the instance goes into comments on one line each: a line break would end the comment.
  const one = stripControl;
  const head = [
    `# yaml-language-server: $schema=${one(d.schemaRef)}`,
    `# Dumped by aup dump from ${one(snapshot.instance)} (${snapshot.platform}${snapshot.version ? ` ${one(snapshot.version)}` : ''}) on ${day}:`,
    '# planned against the same instance, it changes nothing. Every later edit is a decision the plan shows.',
  ].join('\n');
  const sections: string[] = [yamlOf({ version: 1, instance: instanceOf(d.policy, d.url) })];
  const protect = {
    ...(protectUsers.length > 0 ? { users: protectUsers } : {}),
    ...(protectGroups.length > 0 ? { groups: protectGroups } : {}),
  };
  if (Object.keys(protect).length > 0)
    sections.push(
      [
        `# The administrators today (${sets.map((s) => `${one(s.label)}: ${plural(s.members.length, 'member')}`).join('; ')}).`,
        yamlOf({ protect }),
      ].join('\n'),
    );
  if (groups.length > 0) {
    const lines = ['groups:'];
    for (const { group, members } of groups) {
      const ro = group.readOnly
        ? `; read-only: ${one(group.readOnlyReason ?? 'synced from a read-only directory')}`
        : '';
      lines.push(`  # ${plural(members.length, 'member')} today${ro}`);
      lines.push(indent(yamlOf({ [group.name]: { mode: 'exact', members } }), '  '));
    }
    sections.push(lines.join('\n'));
  } else {
    sections.push('# groups: name groups with aup dump --groups G,... to manage them as mode: exact');
  }
  const base = `${head}\n${sections.join('\n\n')}\n`;

  const { rules, left } = starters(d.policy, caps);
  const ruleYaml = rules.length
    ? yamlOf({
        inactivity: rules.map((r) => ({ name: r.name, inactive_days: r.days, action: r.action })),
      })
    : '';
  const counted = rules.length
    ? planOrThrow(snapshot, parsed(`${base}\n${ruleYaml}\nlimits: { max_fraction: 1 }\n`), d.now, {
        capabilities: caps,
      })
    : null;
  const counts = rules.map((r) => ({ ...r, ...touched(counted!, r.name) }));
  const starterLines: string[] = [
    `# Starter inactivity rules, commented out. Uncommented as they stand, on ${day} the planner would:`,
    ...counts.map((c) => {
      const skipped = [...c.skipped].map(([why, n]) => `${n} ${why}`).join(', ');
      return `#   ${c.name}: ${VERB[c.action]} ${plural(c.users, 'user')}${skipped ? ` (skipped: ${skipped})` : ''}`;
    }),
    ...left.map((l) => `#   (${one(l)})`),
    ...(rules.some((r) => r.action === 'delete')
      ? ['#   Deletions also need limits.max_deletions raised from its default, 0.']
      : []),
  ];
  const text = `${base}\n${starterLines.join('\n')}${ruleYaml ? `\n${commented(ruleYaml)}` : ''}\n`;
  // What is written must be a valid policy (the counted variant was planned above).
  parsed(text);
  return {
    text,
    groups: groups.map((g) => ({ name: g.group.name, members: g.members.length })),
    starters: counts.map((c) => ({ name: c.name, action: c.action, days: c.days, users: c.users })),
  };
}
