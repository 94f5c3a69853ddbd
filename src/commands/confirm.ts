// `aup apply` consent, as `terraform apply` asks it: a reviewed plan (--plan) or --yes applies at once; on
// a terminal the live plan is shown and only "yes" applies it; without a terminal there is no one to ask,
// so the apply is refused before anything is read or written.
import type { ApplyRun } from '../app/apply-run.ts';
import type { Plan } from '../model.ts';
import { renderTerminal } from '../report/terminal.ts';
import { CliError, type Io } from './plan.ts';
import type { Progress } from './progress.ts';

export type Consent = 'reviewed-plan' | 'yes' | 'ask';

/** How this apply is consented to; throws (nothing done yet) when it cannot be. */
export function consentFor(args: { reviewedPlan?: string; yes?: boolean }, io: Io): Consent {
  if (args.reviewedPlan) return 'reviewed-plan';
  if (args.yes) return 'yes';
  if (io.interactive && io.ask) return 'ask';
  throw new CliError(
    'apply needs a confirmation and there is no terminal to ask on (stdin or stdout is not a terminal). ' +
      'Add --yes to apply the live plan without asking, or --plan FILE to apply a reviewed plan ' +
      '(aup plan <policy.yml> --out out writes out/plan.json). Nothing was read or changed.',
  );
}

/** Thrown when the answer is not "yes": nothing was written. */
export class ApplyCancelled extends CliError {
  override name = 'ApplyCancelled';
  constructor() {
    super('apply cancelled: the answer was not "yes". Nothing was changed.');
  }
}

/** Asks to apply `plan` to `url`; resolves when the answer is exactly "yes", throws ApplyCancelled otherwise. */
export async function confirmApply(plan: Plan, url: string, io: Io): Promise<void> {
  const n = plan.changes.length;
  const these = n === 1 ? 'this 1 change' : `these ${n} changes`;
  const answer = await io.ask!(
    `\nDo you want to apply ${these} to ${url}? Only 'yes' will be accepted.\n  Enter a value: `,
  );
  if (answer.trim() !== 'yes') throw new ApplyCancelled();
}

/**
 * The apply's terminal hooks, for `aup apply` and `aup revert --apply`: before the first write the plan is shown
 * (the progress line paused) and, when asked for, confirmed; then every result moves the progress line.
 */
export function terminalApplyHooks(
  consent: Consent,
  progress: Progress,
  io: Io,
): Required<Pick<ApplyRun, 'beforeWrite' | 'onResult'>> {
  return {
    beforeWrite: async (plan) => {
      progress.pause();
      io.out(renderTerminal(plan, { color: io.color }));
      if (consent === 'ask' && plan.changes.length > 0) await confirmApply(plan, plan.snapshot.instance, io);
      progress.applying(plan.changes.length);
    },
    onResult: (x) => progress.result(x),
  };
}
