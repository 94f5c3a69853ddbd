// Building blocks of the Markdown report: tables, <details> sections, the activity chart.
// Every piece of user-controlled text passes through escapeMarkdown here; nothing else does.
import { CHANGE_KINDS, isDestructive } from '../model.ts';
import type { Change, ChangeKind, Plan, SkipReason, Skipped } from '../model.ts';
import { escapeMarkdown as esc } from './escape.ts';
import {
  KIND_LABELS,
  formatNumber,
  SKIP_LABELS,
  changesOfKind,
  formatInt,
  intentText,
  plural,
  skippedByReason,
  upcomingTitle,
  seatText,
} from './format.ts';
import { ruleText } from '../model/rules.ts';
import { changeText } from './reason.ts';

export interface ActivityData {
  /** Days since last activity, one entry per user; null = never logged in or unknown. */
  days: (number | null)[];
  /** Inactivity thresholds listed under the chart. */
  thresholds: { rule: string; days: number }[];
}

/** Marks destructive kinds so they stand out (Markdown, or HTML for inside <summary>). */
export function kindTitle(kind: ChangeKind, html = false): string {
  if (!isDestructive(kind)) return KIND_LABELS[kind];
  return html ? `⚠️ <b>${KIND_LABELS[kind]}</b>` : `⚠️ **${KIND_LABELS[kind]}**`;
}

export function table(headers: string[], rows: string[][], numeric: readonly number[] = []): string[] {
  const align = headers.map((_h, i) => (numeric.includes(i) ? '---:' : '---'));
  return [
    `| ${headers.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/**
 * Appends items one by one: `out.push(...items)` passes every item as an argument, and a section of 100,000
 * rows overflows the call stack ("Maximum call stack size exceeded").
 */
export function append<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}

export function details(summary: string, body: string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

/** "… and N more", pointing at the artifact, when a table was cut at maxRows. */
function moreLine(total: number, shown: number, pointer: string): string[] {
  return total > shown ? ['', `_… and ${formatInt(total - shown)} more${pointer}._`] : [];
}

/** The username, with the display name when it says more (existing users only). */
function userCell(c: Change): string {
  const shown = c.kind !== 'create-user' && c.displayName && c.displayName !== c.user;
  return shown ? `${esc(c.user)} (${esc(c.displayName!)})` : esc(c.user);
}

function changeRow(c: Change): string[] {
  const base = [userCell(c)];
  if (c.kind === 'create-user') base.push(esc(c.displayName), c.email ? esc(c.email) : '');
  if (c.kind === 'add-member' || c.kind === 'remove-member') base.push(esc(c.group));
  if (c.kind === 'remove-access') base.push(esc(seatText(c.groups, c.direct)));
  return [...base, esc(ruleText(c.rule)), esc(changeText(c))];
}

function changeHeaders(kind: ChangeKind): string[] {
  if (kind === 'create-user') return ['User', 'Display name', 'Email', 'Rule', 'Reason'];
  if (kind === 'add-member' || kind === 'remove-member') return ['User', 'Group', 'Rule', 'Reason'];
  if (kind === 'remove-access') return ['User', 'Access groups', 'Rule', 'Reason'];
  return ['User', 'Rule', 'Reason'];
}

/**
 * One `<details>` per change kind present, each with a table of at most maxRows rows (maxRows 0:
 * nothing, the counts are above the fold).
 */
export function changeSections(plan: Plan, maxRows: number, pointer: string): string[] {
  const out: string[] = [];
  if (maxRows <= 0) return out;
  for (const kind of CHANGE_KINDS) {
    const changes = changesOfKind(plan, kind);
    if (changes.length === 0) continue;
    const shown = changes.slice(0, maxRows);
    const body = [
      ...table(changeHeaders(kind), shown.map(changeRow)),
      ...moreLine(changes.length, shown.length, pointer),
    ];
    const op = changes[0]?.operation ? ` · ${esc(changes[0].operation)}` : '';
    append(out, ['', ...details(`${kindTitle(kind, true)}${op} (${formatInt(changes.length)})`, body)]);
  }
  return out;
}

function skippedRow(s: Skipped): string[] {
  return [esc(s.user), esc(intentText(s.kind, s.group)), esc(ruleText(s.rule)), esc(s.detail)];
}

/** Skipped users, one `<details>` per reason, at most maxRows rows each (0: nothing). */
export function skippedSections(plan: Plan, maxRows: number, pointer: string): string[] {
  const out: string[] = [];
  if (maxRows <= 0) return out;
  for (const [why, entries] of skippedByReason(plan)) {
    const shown = entries.slice(0, maxRows);
    const body = [
      ...table(['User', 'Would', 'Rule', 'Detail'], shown.map(skippedRow)),
      ...moreLine(entries.length, shown.length, pointer),
    ];
    append(out, ['', ...details(`Skipped: ${SKIP_LABELS[why]} (${formatInt(entries.length)})`, body)]);
  }
  return out;
}

/** "protected 3 · read-only directory 5" — always small (one term per skip reason). */
export function skippedCounts(plan: Plan): string {
  return skippedByReason(plan)
    .map(([why, list]: [SkipReason, Skipped[]]) => `${SKIP_LABELS[why]} ${formatInt(list.length)}`)
    .join(' · ');
}

/** Upcoming changes in one `<details>`, at most maxRows rows (0: nothing). */
export function upcomingSection(plan: Plan, maxRows: number, pointer: string): string[] {
  if (plan.upcoming.length === 0 || maxRows <= 0) return [];
  const shown = plan.upcoming.slice(0, maxRows);
  const rows = shown.map((u) => [
    esc(u.user),
    esc(intentText(u.action)),
    esc(u.date),
    formatInt(u.inDays),
    esc(ruleText(u.rule)),
  ]);
  const body = [
    ...table(['User', 'Action', 'Date', 'In days', 'Rule'], rows, [3]),
    ...moreLine(plan.upcoming.length, shown.length, pointer),
  ];
  const title = `${upcomingTitle(plan)} (${formatInt(plan.upcoming.length)})`;
  return ['', ...details(title, body)];
}

export function limitsSection(plan: Plan): string[] {
  if (plan.limits.length === 0) return [];
  const rows = plan.limits.map((l) => [
    esc(l.name),
    formatNumber(l.limit),
    formatNumber(l.actual),
    l.exceeded ? '⛔ exceeded' : '✅ ok',
  ]);
  return ['', '#### Safety limits', '', ...table(['Limit', 'Maximum', 'This plan', 'Status'], rows, [1, 2])];
}

export const ACTIVITY_BUCKETS = [
  '0–30',
  '31–60',
  '61–90',
  '91–180',
  '181–365',
  '>365',
  'never/unknown',
] as const;
const BUCKET_UPPER = [30, 60, 90, 180, 365, Infinity];

/** Counts per ACTIVITY_BUCKETS entry; negative days (clock skew) count as 0–30. */
export function activityHistogram(days: readonly (number | null)[]): number[] {
  const counts = ACTIVITY_BUCKETS.map(() => 0);
  for (const d of days) {
    const i =
      d === null || Number.isNaN(d) ? ACTIVITY_BUCKETS.length - 1 : BUCKET_UPPER.findIndex((u) => d <= u);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** Mermaid xychart-beta bar chart (only numbers and our own labels inside the code block). */
export function activitySection(activity: ActivityData): string[] {
  const counts = activityHistogram(activity.days);
  const labels = ACTIVITY_BUCKETS.map((b) => `"${b}"`).join(', ');
  const thresholds = [...activity.thresholds]
    .sort((a, b) => a.days - b.days || (a.rule < b.rule ? -1 : 1))
    .map((t) => `${esc(t.rule)} ${plural(t.days, 'day')}`);
  return [
    '',
    '#### Activity',
    '',
    '```mermaid',
    'xychart-beta',
    `    title "Users by days since last activity (${plural(activity.days.length, 'user')})"`,
    `    x-axis "Days since last activity" [${labels}]`,
    '    y-axis "Users"',
    `    bar [${counts.join(', ')}]`,
    '```',
    '',
    thresholds.length > 0
      ? `Rule thresholds: ${thresholds.join(' · ')}`
      : 'No inactivity rules in this policy.',
  ];
}
