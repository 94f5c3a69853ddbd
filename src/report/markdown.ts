// The plan as GitHub Markdown: the sticky PR comment and the job summary. Pure and deterministic.
//
// Size: GitHub rejects comment bodies over 65,536 characters. The body degrades in steps until it
// fits: full (every row) → counts (per-kind and per-skip-reason sections with their counts and
// the first 100, 25 or 5 rows) → summary (the part above the fold: status, the caller's preface,
// per-kind and per-skip-reason counts, seats, warnings) with a pointer to the artifact. The summary
// part is kept at every level. Length is measured in UTF-16 code units (String#length) against
// maxLength minus a 5% safety margin, because GitHub's exact way of counting is unverified.
import { CHANGE_KINDS, isDestructive } from '../model.ts';
import type { Plan } from '../model.ts';
import { escapeMarkdown as esc } from './escape.ts';
import { countByKind, formatAmount, formatInt, plural, verdict, ymd } from './format.ts';
import {
  activitySection,
  changeSections,
  kindTitle,
  limitsSection,
  skippedCounts,
  skippedSections,
  table,
  upcomingSection,
} from './markdown-sections.ts';
import type { ActivityData } from './markdown-sections.ts';

export type { ActivityData } from './markdown-sections.ts';

export interface MarkdownOptions {
  /** Heading; default "Atlassian user policy: <policy path>". */
  title?: string;
  /** Sticky-comment marker, placed first as a hidden HTML comment (see markerComment). */
  marker?: string;
  /** Link to the workflow run, shown at the bottom. */
  runUrl?: string;
  /** Name of the uploaded artifact holding the full plan. */
  artifactName?: string;
  /** Files of the full plan inside that artifact (default plan.md, plan.json). */
  artifactFiles?: string[];
  /** Hard cap in UTF-16 code units (default 65,536, GitHub's comment limit). */
  maxLength?: number;
  /** Days since last activity per user and the rule thresholds: adds a bar chart. */
  activity?: ActivityData;
  /**
   * Markdown placed right after the status line (the verdict and any exceeded limits), above the
   * fold and kept at every degradation level, e.g. the pull request's own changes (pr-diff.ts).
   * Trusted: the caller escapes user text in it. Keep it short; it is never shortened.
   */
  preface?: string;
}

export type MarkdownLevel = 'full' | 'counts' | 'summary';

export const DEFAULT_MAX_LENGTH = 65_536;
const SAFETY_MARGIN = 0.05;
/**
 * Rows per section at the 'counts' level, tried in order. Below that the 'summary' level keeps
 * the per-kind and per-skip-reason counts, which are above the fold at every level.
 */
const COUNTS_ROWS = [100, 25, 5];
/** The shortest table row: `| a | b | c |` and its newline (every table has three columns or more). */
const MIN_ROW = 11;
/** Warnings listed above the fold below the 'full' level. */
const SUMMARY_WARNINGS = 10;

/**
 * The marker as a hidden HTML comment. `<!-- aup:policies/prod.yml -->` and `aup:policies/prod.yml`
 * give the same result. Anything that could close the comment early (`--`, `>`) or break the line
 * is neutralised, so the github/ layer must use this function to search for its marker.
 */
export function markerComment(marker: string): string {
  const inner = marker
    .trim()
    .replace(/^<!--\s*/, '')
    .replace(/\s*-->$/, '');
  const safe = inner
    .replace(/[\u0000-\u001f\u007f]/g, ' ') // eslint-disable-line no-control-regex
    .replace(/-{2,}/g, '-')
    .replace(/[<>]/g, '');
  return `<!-- ${safe.trim()} -->`;
}

/** A link target we are willing to print: http(s) only, characters that end a link encoded. */
function safeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(
    /[()<>\s|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function pointerText(opts: MarkdownOptions): string {
  if (!opts.artifactName) return '';
  const files = (opts.artifactFiles ?? ['plan.md', 'plan.json']).map(esc).join(', ');
  return ` in ${files} of the artifact **${esc(opts.artifactName)}**`;
}

function footer(opts: MarkdownOptions): string[] {
  const parts: string[] = [];
  const url = opts.runUrl ? safeUrl(opts.runUrl) : null;
  if (url) parts.push(`[Workflow run](${url})`);
  if (opts.artifactName) parts.push(`Full plan${pointerText(opts)}`);
  return parts.length > 0 ? ['', '---', '', parts.join(' · ')] : [];
}

function trimmedNotice(opts: MarkdownOptions): string[] {
  const where = opts.artifactName ? pointerText(opts) : ' in the workflow run artifacts';
  return [
    '',
    '> [!NOTE]',
    `> This report was shortened to fit GitHub's size limit. The full plan is${where}.`,
  ];
}

/** Above the fold, kept at every level: status, counts, seats and saving, warnings. */
function summaryPart(plan: Plan, opts: MarkdownOptions, maxWarnings: number): string[] {
  const lines: string[] = [];
  if (opts.marker) lines.push(markerComment(opts.marker));
  lines.push(`### ${esc(opts.title ?? `Atlassian user policy: ${plan.policy.path}`)}`, '');

  const v = verdict(plan);
  if (v.applyable) {
    lines.push(plan.changes.length > 0 ? `**✅ Applyable.** ${v.text}` : `**✅ ${v.text}**`);
  } else {
    lines.push(`**⛔ NOT applyable.** ${v.text}`);
    if (v.limitMessages.length > 0) {
      lines.push('', 'Safety limits exceeded:', ...v.limitMessages.map((m) => `- ${esc(m)}`));
    }
  }
  // Missing activity comes first: a plan that cannot see dormant accounts must not look like "all fine".
  if (plan.activity?.alert) lines.push('', '> [!CAUTION]', `> ${esc(plan.activity.alert)}`);
  const preface = opts.preface?.trim();
  if (preface) lines.push('', preface);
  const snap = plan.snapshot;
  lines.push(
    '',
    `${esc(snap.platform)} · ${esc(snap.instance)} · snapshot ${esc(ymd(snap.takenAt))} · ` +
      `${plural(snap.users, 'user')} · policy sha256 ${esc(plan.policy.sha256.slice(0, 12))}`,
  );

  if (plan.changes.length > 0) {
    const counts = countByKind(plan);
    const rows = CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => [kindTitle(k), formatInt(counts[k])]);
    const destructive = plan.changes.filter((c) => isDestructive(c.kind)).length;
    rows.push(['**Total**', `**${formatInt(plan.changes.length)}** (${formatInt(destructive)} destructive)`]);
    lines.push('', ...table(['Change', 'Count'], rows, [1]));
  }

  const facts: string[] = [];
  const byProduct = plan.summary.seatsByProduct;
  const products = (m: Record<string, number>, f: (n: number) => string) =>
    Object.entries(m)
      .map(([p, n]) => `${esc(p)} ${f(n)}`)
      .join(', ');
  if (plan.summary.seatsFreed > 0) {
    const per = byProduct && Object.keys(byProduct).length > 0 ? ` (${products(byProduct, formatInt)})` : '';
    facts.push(`**Seats freed:** ${formatInt(plan.summary.seatsFreed)}${per}`);
  }
  const saving = plan.summary.saving;
  if (saving) {
    const per =
      saving.byProduct && Object.keys(saving.byProduct).length > 0
        ? ` (${products(saving.byProduct, formatAmount)})`
        : '';
    const unpriced = saving.unpriced?.length
      ? `; not priced in report.seat_cost.products: ${saving.unpriced.map(esc).join(', ')}`
      : '';
    facts.push(
      `**Estimated saving:** ${formatAmount(saving.amount)} ${esc(saving.currency)} per ${saving.per}${per}${unpriced}`,
    );
  }
  if (plan.skipped.length > 0)
    facts.push(`**Skipped:** ${formatInt(plan.skipped.length)} (${skippedCounts(plan)})`);
  if (plan.upcoming.length > 0) facts.push(`**Upcoming:** ${formatInt(plan.upcoming.length)}`);
  if (facts.length > 0) lines.push('', facts.join(' · '));

  if (plan.warnings.length > 0) {
    const shown = plan.warnings.slice(0, maxWarnings);
    lines.push('', '> [!WARNING]', ...shown.map((w) => `> - ${esc(w)}`));
    if (plan.warnings.length > shown.length) {
      lines.push(`> - … and ${formatInt(plan.warnings.length - shown.length)} more`);
    }
  }
  return lines;
}

/** Body sections below the fold; rows = Infinity for the full report. */
function detailSections(plan: Plan, opts: MarkdownOptions, rows: number): string[] {
  const pointer = opts.artifactName ? pointerText(opts) : ' in the artifacts';
  return [
    ...changeSections(plan, rows, pointer),
    ...skippedSections(plan, rows, pointer),
    ...upcomingSection(plan, rows, pointer),
    ...limitsSection(plan),
    ...(opts.activity ? activitySection(opts.activity) : []),
  ];
}

function join(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Renders the report and says which level fitted under maxLength. */
export function renderMarkdownWithLevel(
  plan: Plan,
  opts: MarkdownOptions = {},
): { body: string; level: MarkdownLevel } {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  const budget = Math.floor(maxLength * (1 - SAFETY_MARGIN));
  const fits = (body: string): boolean => body.length <= budget;

  // Every row of a table is at least MIN_ROW characters: a plan with more rows than the budget holds is not
  // rendered in full only to be measured (100,000 changes would take seconds and most of the memory).
  const rows = plan.changes.length + plan.skipped.length + plan.upcoming.length;
  if (rows * MIN_ROW <= budget) {
    const full = join([
      ...summaryPart(plan, opts, Infinity),
      ...detailSections(plan, opts, Infinity),
      ...footer(opts),
    ]);
    if (fits(full)) return { body: full, level: 'full' };
  }

  const above = summaryPart(plan, opts, SUMMARY_WARNINGS);
  const head = [...above, ...trimmedNotice(opts)];
  const tail = footer(opts);
  for (const rows of COUNTS_ROWS) {
    const body = join([...head, ...detailSections(plan, opts, rows), ...tail]);
    if (fits(body)) return { body, level: 'counts' };
  }

  const summary = join([...head, ...tail]);
  if (fits(summary)) return { body: summary, level: 'summary' };
  // Last resort (a tiny maxLength or an enormous title): cut the summary part, keep the notice
  // and the footer. Never split a surrogate pair.
  const end = join(['', '…', ...trimmedNotice(opts), ...tail]);
  const text = join(above);
  let cut = Math.max(0, budget - end.length);
  if (cut > 0 && /[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return { body: `${text.slice(0, cut)}${end}`.slice(0, Math.max(budget, 0)), level: 'summary' };
}

/** The report as one Markdown string (see renderMarkdownWithLevel). */
export function renderMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  return renderMarkdownWithLevel(plan, opts).body;
}
