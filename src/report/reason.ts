// One human line with the evidence behind a change or a skip. Returns raw text: each renderer
// escapes it for its own output (escapeMarkdown, stripControl, neutraliseCsvCell).
import type { Change, Reason, Skipped, Upcoming } from '../model.ts';
import { ruleText } from '../model/rules.ts';
import { SKIP_LABELS, daysAgo, formatInt, intentText, plural, ymd } from './format.ts';

function inactiveText(reason: Extract<Reason, { type: 'inactive' }>, rule: string): string {
  if (reason.neverLoggedIn) {
    const created = reason.created
      ? `created ${ymd(reason.created)} (${daysAgo(reason.days)})`
      : `creation date unknown`;
    return `never logged in, ${created}, grace ${plural(reason.thresholdDays, 'day')} (rule ${rule})`;
  }
  const last = reason.lastActive ? `last active ${ymd(reason.lastActive)}` : 'last activity unknown';
  return `inactive ${plural(reason.days, 'day')} (${last}), threshold ${formatInt(reason.thresholdDays)} (rule ${rule})`;
}

/**
 * Why a change is planned, e.g.
 * - `inactive 212 days (last active 2026-04-27), threshold 90 (rule dormant)`
 * - `never logged in, created 2026-01-10 (319 days ago), grace 30 days (rule dormant)`
 * - `not listed in exact group developers`
 * - `declared active in users[0]`
 * - `listed in groups.developers`
 */
export function reasonText(change: Change): string {
  const reason = change.reason;
  switch (reason.type) {
    case 'inactive':
      return inactiveText(reason, ruleText(change.rule));
    case 'declared':
      return `declared ${reason.state} in ${ruleText(change.rule)}`;
    case 'group-exact':
      return `not listed in exact group ${reason.group}`;
    case 'group-member':
      return reason.source.type === 'group'
        ? `listed in ${ruleText(reason.source)}`
        : `listed for group ${reason.group} in ${ruleText(reason.source)}`;
    case 'returned':
      return `welcome back: active ${reason.lastActive.slice(0, 10)} since this tool removed the access on ${reason.removedAt.slice(0, 10)} (run ${reason.run}, rule ${ruleText(change.rule)} restore_on_return)`;
    case 'revert':
      return `reverts ${reason.of} of run ${reason.run} (${reason.at.slice(0, 10)}, ${ruleText(change.rule)})`;
  }
}

/**
 * Why a user was left alone, with what would have happened, e.g.
 * `read-only directory: Corporate LDAP (would deactivate, rule dormant)`.
 */
export function skipText(skipped: Skipped): string {
  const label = SKIP_LABELS[skipped.why];
  const detail = skipped.detail.trim();
  const head = detail && detail !== label ? `${label}: ${detail}` : label;
  return `${head} (would ${intentText(skipped.kind, skipped.group)}, rule ${ruleText(skipped.rule)})`;
}

/** `deactivate on 2026-12-01 (in 7 days, rule dormant)` */
export function upcomingText(u: Upcoming): string {
  return `${intentText(u.action)} on ${u.date} (in ${plural(u.inDays, 'day')}, rule ${ruleText(u.rule)})`;
}

/** `deactivate (disable user)`: the change kind with the platform operation that carries it out. */
export function operationText(change: Pick<Change, 'kind' | 'operation'>): string {
  return change.operation ? `${change.kind} (${change.operation})` : change.kind;
}

/**
 * The reason line with the platform's notes on the change, e.g.
 * `inactive 212 days (…), threshold 90 (rule dormant) — also disables the Active Directory account (…)`.
 */
export function changeText(change: Change): string {
  const notes = change.notes ?? [];
  return notes.length > 0 ? `${reasonText(change)} — ${notes.join('; ')}` : reasonText(change);
}
