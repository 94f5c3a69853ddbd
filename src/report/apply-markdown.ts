// The outcome of an apply, for the job summary: counts per outcome and the changes that did not go through.
import type { ApplyResult, Outcome } from '../model.ts';
import { escapeMarkdown } from './escape.ts';

const LABELS: Record<Outcome, string> = {
  applied: '✅ applied',
  'already-in-state': '☑️ already in state',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
};

export function renderApplyMarkdown(
  results: readonly ApplyResult[],
  stopped: string | null,
  maxRows = 200,
): string {
  const counts: Record<Outcome, number> = { applied: 0, 'already-in-state': 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.outcome]++;
  const lines = ['#### Apply result', '', '| Outcome | Count |', '| --- | ---: |'];
  for (const o of Object.keys(LABELS) as Outcome[]) lines.push(`| ${LABELS[o]} | ${counts[o]} |`);
  lines.push('');
  if (stopped) lines.push(`> [!CAUTION]`, `> ${escapeMarkdown(stopped)}`, '');
  const notDone = results.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped');
  if (notDone.length > 0) {
    lines.push(
      `<details><summary>Not applied (${notDone.length})</summary>`,
      '',
      '| Outcome | Change | User | Message |',
      '| --- | --- | --- | --- |',
    );
    for (const r of notDone.slice(0, maxRows)) {
      const group = 'group' in r.change ? ` ${r.change.group}` : '';
      lines.push(
        `| ${r.outcome} | ${r.change.kind}${escapeMarkdown(group)} | ${escapeMarkdown(r.change.user)} | ${escapeMarkdown(r.error ?? '')} |`,
      );
    }
    if (notDone.length > maxRows) lines.push(`| … | ${notDone.length - maxRows} more in audit.csv | | |`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}
