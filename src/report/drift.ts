// The drift report in every output: terminal lines, a Markdown section (PR comment, job summary) and drift.csv.
// A drift that could not be computed (no previous inventory, or an unreadable one) is said, never shown as none.
import type { Drift, DriftEntry } from '../planner/drift.ts';
import { toCsv } from './csv-format.ts';
import { escapeMarkdown, stripControl } from './escape.ts';
import { plural } from './format.ts';

/** Drift as computed, or why it was not. */
export type DriftOutcome = { kind: 'computed'; drift: Drift } | { kind: 'unavailable'; reason: string };

export const DRIFT_FILE = 'drift.csv';
export const DRIFT_COLUMNS = ['kind', 'user', 'user_id', 'group', 'role', 'detail'] as const;

/** One line per entry, e.g. `alice added to jira-administrators (admin group)`. Raw text: renderers escape it. */
export function driftText(e: DriftEntry): string {
  switch (e.kind) {
    case 'member-added':
      return `${e.user} added to ${e.group} (${e.role} group) outside the policy`;
    case 'member-removed':
      return `${e.user} removed from ${e.group} (${e.role} group) outside the policy`;
    case 'reactivated':
      return e.deactivatedByTool
        ? `${e.user} re-activated by hand after this tool deactivated the account on ${e.deactivatedByTool.slice(0, 10)}`
        : `${e.user} re-activated outside the policy`;
    case 'deactivated':
      return `${e.user} deactivated outside the policy`;
  }
}

export function driftCsv(drift: Drift): string {
  return toCsv(
    DRIFT_COLUMNS,
    drift.entries.map((e) => ({
      kind: e.kind,
      user: e.user,
      user_id: e.userId,
      group: 'group' in e ? e.group : '',
      role: 'role' in e ? e.role : '',
      detail: driftText(e),
    })),
    true,
  );
}

/** The headline: `Drift since out/inventory.csv: 3 changes outside the policy`. */
export function driftHeadline(d: DriftOutcome): string {
  if (d.kind === 'unavailable') return `Drift not computed: ${d.reason}`;
  const n = d.drift.entries.length;
  return n === 0
    ? `No drift since ${d.drift.since}: nothing changed outside the policy`
    : `Drift since ${d.drift.since}: ${plural(n, 'change')} outside the policy`;
}

export function driftTerminal(d: DriftOutcome): string {
  const lines = [driftHeadline(d)];
  if (d.kind === 'computed') {
    for (const e of d.drift.entries) lines.push(`  ${driftText(e)}`);
    for (const n of d.drift.notes) lines.push(`  note: ${n}`);
  }
  return lines.map(stripControl).join('\n');
}

/** A Markdown section; at most `max` entries listed (the rest are in drift.csv). */
export function driftMarkdown(d: DriftOutcome, max = 50): string {
  if (d.kind === 'unavailable') return `#### Drift\n\n> [!WARNING]\n> ${escapeMarkdown(driftHeadline(d))}\n`;
  const out = [`#### Drift`, '', `**${escapeMarkdown(driftHeadline(d))}**`, ''];
  const shown = d.drift.entries.slice(0, max);
  for (const e of shown) out.push(`- ${escapeMarkdown(driftText(e))}`);
  if (d.drift.entries.length > shown.length)
    out.push(`- … and ${d.drift.entries.length - shown.length} more in ${DRIFT_FILE}`);
  for (const n of d.drift.notes) out.push('', `> ${escapeMarkdown(n)}`);
  return `${out.join('\n')}\n`;
}
