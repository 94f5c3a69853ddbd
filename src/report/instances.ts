// The combined summary of a run over several instances (one policy file each): per instance its status, counts,
// whether it is applyable and why it failed or was refused; totals. Terminal and Markdown. Pure.
import type { Plan } from '../model.ts';
import { driftHeadline, type DriftOutcome } from './drift.ts';
import { escapeMarkdown, stripControl } from './escape.ts';
import { plural } from './format.ts';

export interface InstanceReport {
  /** The policy file. */
  policy: string;
  /** Where its files were written. */
  dir?: string;
  platform?: string;
  instance?: string;
  /** planned: a plan was made; applied: applied without failure; refused: over a limit or apply refused; failed. */
  status: 'planned' | 'applied' | 'refused' | 'failed';
  changes?: number;
  destructive?: number;
  applyable?: boolean;
  applied?: number;
  failedChanges?: number;
  /** The drift headline, when drift was asked for. */
  drift?: string;
  /** Why it failed or was refused. */
  error?: string;
}

const ICON = { planned: '✅', applied: '✅', refused: '⛔', failed: '❌' } as const;

function counts(r: InstanceReport): string {
  if (r.changes === undefined) return '';
  const parts = [`${plural(r.changes, 'change')}${r.destructive ? ` (${r.destructive} destructive)` : ''}`];
  if (r.applied !== undefined) parts.push(`${r.applied} applied`);
  if (r.failedChanges) parts.push(`${r.failedChanges} failed`);
  if (r.applyable !== undefined) parts.push(r.applyable ? 'applyable' : 'not applyable');
  return parts.join(', ');
}

/** `3 instances: 2 planned, 1 failed; 12 changes (4 destructive)`. */
export function instancesHeadline(reports: readonly InstanceReport[]): string {
  const by = (s: InstanceReport['status']) => reports.filter((r) => r.status === s).length;
  const states = (['planned', 'applied', 'refused', 'failed'] as const)
    .filter((s) => by(s) > 0)
    .map((s) => `${by(s)} ${s}`)
    .join(', ');
  const changes = reports.reduce((a, r) => a + (r.changes ?? 0), 0);
  const destructive = reports.reduce((a, r) => a + (r.destructive ?? 0), 0);
  return `${plural(reports.length, 'instance')}: ${states}; ${plural(changes, 'change')} in total (${destructive} destructive)`;
}

export function instancesTerminal(reports: readonly InstanceReport[]): string {
  const lines = [`Summary of ${instancesHeadline(reports)}`];
  for (const r of reports) {
    const where = r.platform ? ` ${r.platform} ${r.instance ?? ''}`.trimEnd() : '';
    lines.push(
      `  ${r.status.padEnd(7)} ${r.policy}${where}${r.changes !== undefined ? `: ${counts(r)}` : ''}`,
    );
    if (r.error) lines.push(`          ${r.error}`);
    if (r.drift) lines.push(`          ${r.drift}`);
  }
  return lines.map(stripControl).join('\n');
}

export function instancesMarkdown(reports: readonly InstanceReport[]): string {
  const rows = reports.map((r) => {
    const what = [r.changes !== undefined ? counts(r) : '', r.error ?? '', r.drift ?? '']
      .filter(Boolean)
      .map(escapeMarkdown)
      .join('<br>');
    const where = r.platform ? `${escapeMarkdown(r.platform)} · ${escapeMarkdown(r.instance ?? '')}` : '';
    return `| ${ICON[r.status]} ${r.status} | ${escapeMarkdown(r.policy)} | ${where} | ${what} |`;
  });
  return [
    `### Atlassian user policy: ${escapeMarkdown(instancesHeadline(reports))}`,
    '',
    '| Status | Policy | Instance | Plan |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** What became of one instance, for the combined summary of several. */
export function plannedReport(p: Plan, drift: DriftOutcome | undefined, dir?: string): InstanceReport {
  return {
    policy: p.policy.path,
    ...(dir ? { dir } : {}),
    platform: p.snapshot.platform,
    instance: p.snapshot.instance,
    status: p.applyable ? 'planned' : 'refused',
    changes: p.summary.total,
    destructive: p.summary.destructive,
    applyable: p.applyable,
    ...(p.applyable
      ? {}
      : {
          error: `over a safety limit: ${p.limits
            .filter((l) => l.exceeded)
            .map((l) => l.message)
            .join('; ')}`,
        }),
    ...(drift ? { drift: driftHeadline(drift) } : {}),
  };
}
