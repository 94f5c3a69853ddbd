// CSV exports: plan.csv and the audit trail (audit.csv); inventory.csv and groups.csv in inventory.ts. Pure.
// The format (quoting, LF, formula cells neutralised) is csv-format.ts's, for every file.
import type { ApplyResult, ChangeKind, Outcome, Plan, Platform } from '../model.ts';
import { changeGroups } from './format.ts';
import { ruleText } from '../model/rules.ts';
import { changeText, upcomingText } from './reason.ts';

import { type Cell, toCsv } from './csv-format.ts';

export type { Cell } from './csv-format.ts';
export { GROUP_COLUMNS, groupsCsv, INVENTORY_COLUMNS, inventoryCsv } from './inventory.ts';

export const PLAN_COLUMNS = ['type', 'kind', 'user', 'user_id', 'group', 'rule', 'reason', 'detail'] as const;

/**
 * One row per planned change (type `change`), skipped change (`skipped`) and upcoming change
 * (`upcoming`), in plan order. `reason` is a code (the Reason type: inactive, declared,
 * group-exact, group-member; or the skip reason), `detail` the human line. Several groups of a
 * remove-access change are joined with ';'.
 */
export function planCsv(plan: Plan): string {
  const rows: Record<string, Cell>[] = [];
  for (const c of plan.changes) {
    const who = c.kind === 'create-user' ? `${c.displayName}${c.email ? ` <${c.email}>` : ''}; ` : '';
    rows.push({
      type: 'change',
      kind: c.kind,
      user: c.user,
      user_id: c.userId,
      group: changeGroups(c).join(';'),
      rule: ruleText(c.rule),
      reason: c.reason.type,
      detail: `${who}${changeText(c)}${c.kind === 'remove-access' && c.direct?.length ? `; drops the direct ${c.direct.join(', ')} permission` : ''}`,
    });
  }
  for (const s of plan.skipped) {
    rows.push({
      type: 'skipped',
      kind: s.kind,
      user: s.user,
      user_id: s.userId,
      group: s.group,
      rule: ruleText(s.rule),
      reason: s.why,
      detail: s.detail,
    });
  }
  for (const u of plan.upcoming) {
    rows.push({
      type: 'upcoming',
      kind: u.action,
      user: u.user,
      user_id: u.userId,
      group: '',
      rule: ruleText(u.rule),
      reason: 'inactive',
      detail: upcomingText(u),
    });
  }
  return toCsv(PLAN_COLUMNS, rows, true);
}

export const AUDIT_COLUMNS = [
  'timestamp',
  'run_id',
  'trigger',
  'actor',
  'platform',
  'instance',
  'kind',
  'user_id',
  'username',
  'email',
  'group',
  'rule',
  'reason',
  'outcome',
  'error',
  'commit',
  'run_url',
] as const;

/** One line of the audit trail: who changed what, when, why, and how it ended. */
export interface AuditRecord {
  /** ISO timestamp of the attempt. */
  timestamp: string;
  /** GitHub run id (or a CLI run id). */
  runId: string;
  /** What started the run: `schedule` (automatic), `workflow_dispatch` or `cli` (manual), `push`. */
  trigger: string;
  /** GitHub actor or local user who started the run. */
  actor: string;
  platform: Platform;
  instance: string;
  kind: ChangeKind;
  userId: string | null;
  username: string;
  email: string | null;
  /** Group(s) the change acts on; several joined with ';'. */
  group: string | null;
  rule: string;
  /** The human reason line (reasonText). */
  reason: string;
  outcome: Outcome;
  /** The API's message for failed, the reason for skipped. */
  error: string | null;
  /** Commit of the policy repository the run applied (GitHub runs), or null. */
  commit: string | null;
  /** Link to the run (GitHub Actions run URL), or null. */
  runUrl: string | null;
}

/** The header line of audit.csv, LF-terminated. */
export function auditCsvHeader(): string {
  return toCsv(AUDIT_COLUMNS, [], true);
}

/** One LF-terminated audit.csv line, to append as each change is applied. */
export function auditCsvRow(record: AuditRecord): string {
  const row: Record<(typeof AUDIT_COLUMNS)[number], Cell> = {
    timestamp: record.timestamp,
    run_id: record.runId,
    trigger: record.trigger,
    actor: record.actor,
    platform: record.platform,
    instance: record.instance,
    kind: record.kind,
    user_id: record.userId,
    username: record.username,
    email: record.email,
    group: record.group,
    rule: record.rule,
    reason: record.reason,
    outcome: record.outcome,
    error: record.error,
    commit: record.commit,
    run_url: record.runUrl,
  };
  return toCsv(AUDIT_COLUMNS, [row], false);
}

/** The run-level fields of an audit record. */
export type AuditContext = Pick<
  AuditRecord,
  'runId' | 'trigger' | 'actor' | 'platform' | 'instance' | 'commit' | 'runUrl'
>;

/**
 * The audit record of one apply result, worded like plan.csv. `email` comes from the snapshot
 * (changes carry it only for create-user).
 */
export function auditRecord(
  result: ApplyResult,
  context: AuditContext,
  email: string | null = null,
): AuditRecord {
  const c = result.change;
  const group = changeGroups(c).join(';');
  return {
    ...context,
    // Welcome back is the policy's doing, not the person's who started the run.
    ...(c.reason.type === 'returned' ? { trigger: 'automatic' } : {}),
    timestamp: result.at,
    kind: c.kind,
    userId: c.userId,
    username: c.user,
    email: c.kind === 'create-user' ? c.email : email,
    group: group === '' ? null : group,
    rule: ruleText(c.rule),
    reason: changeText(c),
    outcome: result.outcome,
    error: result.error ?? null,
  };
}
