// Why an apply was refused before its first write, as text for the terminal and the job summary.
import type { StaleCheck } from '../executor/stale.ts';
import type { Plan } from '../model.ts';
import { reasonText } from './reason.ts';

export function limitRefusalText(plan: Plan): string {
  const over = plan.limits.filter((l) => l.exceeded).map((l) => l.message);
  return `refusing to apply: ${over.join('; ')}. Nothing was changed.`;
}

/** The stale-plan refusal with up to 20 of the unreviewed changes. */
export function staleRefusalText(stale: StaleCheck): string {
  const lines = stale.unreviewed
    .slice(0, 20)
    .map((c) => `  + ${c.kind} ${c.user}${'group' in c ? ` (${c.group})` : ''}: ${reasonText(c)}`);
  const more = stale.unreviewed.length > 20 ? [`  … and ${stale.unreviewed.length - 20} more`] : [];
  return [
    `the reviewed plan is stale: ${stale.problems.join('; ')}. Nothing was changed; plan again and review.`,
    ...lines,
    ...more,
  ].join('\n');
}
