// The plan as a terraform-like diff for a terminal (CLI output, Action log). Pure.
// User text goes through stripControl so it cannot inject escape sequences or fake lines.
import { CHANGE_KINDS } from '../model.ts';
import type { Change, ChangeKind, Plan } from '../model.ts';
import { stripControl } from './escape.ts';
import {
  KIND_LABELS,
  SKIP_LABELS,
  changesOfKind,
  distinctUsers,
  exceededLimits,
  formatInt,
  formatNumber,
  plural,
  skippedByReason,
  upcomingTitle,
  verdict,
  ymd,
  seatText,
} from './format.ts';
import { changeText, upcomingText } from './reason.ts';

export interface TerminalOptions {
  /** ANSI colours; off by default (logs, pipes, NO_COLOR are the caller's business). */
  color?: boolean;
  /** Names listed per skip reason before "… and N more" (default 10). */
  maxNamesPerGroup?: number;
  /** Upcoming changes listed before "… and N more" (default 20). */
  maxUpcoming?: number;
}

const SYMBOLS: Record<ChangeKind, '+' | '-' | '~'> = {
  'create-user': '+',
  activate: '+',
  'add-member': '+',
  'remove-member': '-',
  'remove-access': '-',
  deactivate: '~',
  delete: '-',
};

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
};
type Style = keyof Omit<typeof ANSI, 'reset'>;

const SYMBOL_STYLE: Record<'+' | '-' | '~', Style> = { '+': 'green', '-': 'red', '~': 'yellow' };
/** Widest subject column used for alignment; longer subjects simply push their reason right. */
const MAX_PAD = 40;

function subject(c: Change): string {
  const named = c.kind !== 'create-user' && c.displayName && c.displayName !== c.user;
  const user = named ? `${stripControl(c.user)} (${stripControl(c.displayName!)})` : stripControl(c.user);
  switch (c.kind) {
    case 'create-user': {
      const email = c.email ? ` <${stripControl(c.email)}>` : '';
      return `${user} (${stripControl(c.displayName)}${email})`;
    }
    case 'add-member':
      return `${user} to ${stripControl(c.group)}`;
    case 'remove-member':
      return `${user} from ${stripControl(c.group)}`;
    case 'remove-access':
      return `${user} from ${seatText(c.groups.map(stripControl), c.direct)}`;
    default:
      return user;
  }
}

function more(total: number, shown: number): string {
  return total > shown ? ` … and ${formatInt(total - shown)} more` : '';
}

/**
 * Renders the plan: changes grouped by kind (`+` add, `-` remove, `~` deactivate), each with the
 * user and the reason; then skipped users by reason, upcoming changes, warnings, exceeded limits,
 * and a final verdict line ("Plan: … Applyable." / "NOT applyable: …").
 */
export function renderTerminal(plan: Plan, options: TerminalOptions = {}): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  const maxNames = options.maxNamesPerGroup ?? 10;
  const maxUpcoming = options.maxUpcoming ?? 20;
  const lines: string[] = [];

  const snap = plan.snapshot;
  lines.push(paint('bold', `Atlassian user policy plan: ${stripControl(plan.policy.path)}`));
  lines.push(
    `${snap.platform} ${stripControl(snap.instance)} · snapshot ${ymd(snap.takenAt)} · ${plural(snap.users, 'user')}`,
  );

  if (plan.activity?.alert) {
    lines.push(
      '',
      `${paint('red', '!')} ${paint('bold', 'Activity unknown:')} ${stripControl(plan.activity.alert)}`,
    );
  }

  for (const kind of CHANGE_KINDS) {
    const changes = changesOfKind(plan, kind);
    if (changes.length === 0) continue;
    const symbol = SYMBOLS[kind];
    const subjects = changes.map(subject);
    const width = Math.min(
      MAX_PAD,
      subjects.reduce((w, s) => Math.max(w, s.length), 0),
    );
    const op = changes[0]?.operation ? ` · ${stripControl(changes[0].operation)}` : '';
    lines.push('', paint('bold', `${KIND_LABELS[kind]}${op} (${formatInt(changes.length)})`));
    changes.forEach((c, i) => {
      const subj = (subjects[i] ?? '').padEnd(width);
      lines.push(`  ${paint(SYMBOL_STYLE[symbol], symbol)} ${subj}  ${stripControl(changeText(c))}`);
    });
  }

  const skipGroups = skippedByReason(plan);
  if (skipGroups.length > 0) {
    lines.push('', paint('bold', `Skipped (${formatInt(plan.skipped.length)})`));
    for (const [why, entries] of skipGroups) {
      const names = distinctUsers(entries).map(stripControl);
      const shown = names.slice(0, maxNames).join(', ');
      lines.push(
        `  ${SKIP_LABELS[why]} (${formatInt(entries.length)}): ${shown}${more(names.length, maxNames)}`,
      );
    }
  }

  if (plan.upcoming.length > 0) {
    lines.push('', paint('bold', `${upcomingTitle(plan)} (${formatInt(plan.upcoming.length)})`));
    for (const u of plan.upcoming.slice(0, maxUpcoming)) {
      lines.push(`  ${stripControl(u.user)}: ${stripControl(upcomingText(u))}`);
    }
    if (plan.upcoming.length > maxUpcoming) lines.push(`  ${more(plan.upcoming.length, maxUpcoming).trim()}`);
  }

  if (plan.warnings.length > 0) {
    lines.push('', paint('bold', `Warnings (${formatInt(plan.warnings.length)})`));
    for (const w of plan.warnings) lines.push(`  ${paint('yellow', '!')} ${stripControl(w)}`);
  }

  const exceeded = exceededLimits(plan);
  if (exceeded.length > 0) {
    lines.push('', paint('bold', 'Limits exceeded'));
    for (const l of exceeded) {
      lines.push(
        `  ${paint('red', '✗')} ${l.name} (limit ${formatNumber(l.limit)}, actual ${formatNumber(l.actual)}): ${stripControl(l.message)}`,
      );
    }
  }

  const v = verdict(plan);
  const status = v.applyable
    ? plan.changes.length > 0
      ? paint('green', 'Applyable.')
      : ''
    : paint(
        'red',
        v.limitMessages.length > 0
          ? `NOT applyable: ${v.limitMessages.map(stripControl).join('; ')}`
          : 'NOT applyable.',
      );
  lines.push('', status ? `${paint('bold', v.text)} ${status}` : paint('bold', v.text));
  return `${lines.join('\n')}\n`;
}
