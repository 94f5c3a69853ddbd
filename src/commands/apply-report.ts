// What `aup apply` prints when done: the counts, then every change that did not go through — each skip
// and each failure with its reason — as the audit has them (reviewed changes no longer needed included).
import type { ApplyOutcomeReport } from '../app/apply-run.ts';
import type { Change } from '../model.ts';
import { stripControl } from '../report/escape.ts';
import { changeGroups } from '../report/format.ts';
import { plural } from '../plural.ts';

const NO_LONGER_NEEDED = 'no longer needed: the live instance does not need this reviewed change';

function changeText(c: Change): string {
  const groups = changeGroups(c);
  return stripControl(`${c.kind} ${c.user}${groups.length ? ` (${groups.join(', ')})` : ''}`);
}

export function applyReportLines(
  r: Pick<ApplyOutcomeReport, 'report' | 'auditFile' | 'stale'> &
    Partial<Pick<ApplyOutcomeReport, 'reconciled' | 'lease'>>,
): string[] {
  const c = r.report.counts;
  const notNeeded = r.stale?.noLongerNeeded ?? [];
  const lines: string[] = [];
  const width = 'skipped'.length;
  const reconciled = r.reconciled ?? [];
  if (reconciled.length > 0) {
    const runs = [...new Set(reconciled.map((x) => x.intent.run))].join(', ');
    lines.push(`Closed ${plural(reconciled.length, 'change')} left in flight by run ${stripControl(runs)}:`);
    for (const x of reconciled)
      lines.push(`  ${x.outcome.padEnd(width)}  ${changeText(x.intent.change)}: ${stripControl(x.note)}`);
  }
  if (r.lease && 'none' in r.lease && r.lease.warning) lines.push(`Warning: no lease: ${r.lease.none}`);
  lines.push(
    `Apply: ${c.applied} applied, ${c['already-in-state']} already in state, ${c.skipped + notNeeded.length} skipped, ${c.failed} failed. Audit: ${r.auditFile}`,
  );
  for (const change of notNeeded)
    lines.push(`  ${'skipped'.padEnd(width)}  ${changeText(change)}: ${NO_LONGER_NEEDED}`);
  for (const x of r.report.results) {
    if (x.outcome !== 'skipped' && x.outcome !== 'failed') continue;
    lines.push(
      `  ${x.outcome.padEnd(width)}  ${changeText(x.change)}: ${stripControl(x.error ?? 'no reason given')}`,
    );
  }
  return lines;
}
