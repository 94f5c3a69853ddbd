// Typed references to the part of a policy that asked for a change: an inactivity rule, a declared group,
// an explicit user, an imported CSV row. Reports render them with ruleText; nothing parses them back.
import { canonical } from './identity.ts';

export type RuleRef =
  /** `inactivity[index]`, named `name`. */
  | { type: 'inactivity'; name: string; index: number }
  /** `groups.<group>` (exact or additive). */
  | { type: 'group'; group: string }
  /** `users[index]`. */
  | { type: 'user'; index: number; name: string }
  /** A row of an imported CSV (`import[].csv`), 1-based line. */
  | { type: 'import'; file: string; line: number; name: string }
  /** A row of an audit.csv a revert plan undoes (`aup revert`), 1-based line, and the run that applied it. */
  | { type: 'revert'; file: string; line: number; run: string };

/** `dormant`, `groups.developers`, `users[2]`, `policies/new-hires.csv:4`. */
export function ruleText(ref: RuleRef): string {
  switch (ref.type) {
    case 'inactivity':
      return ref.name;
    case 'group':
      return `groups.${ref.group}`;
    case 'user':
      return `users[${ref.index}]`;
    case 'import':
      return `${ref.file}:${ref.line}`;
    case 'revert':
      return `${ref.file}:${ref.line}`;
  }
}

/** A stable key for grouping and comparing references (case-folded names). */
export function ruleKey(ref: RuleRef): string {
  switch (ref.type) {
    case 'inactivity':
      return `inactivity:${canonical(ref.name)}`;
    case 'group':
      return `group:${canonical(ref.group)}`;
    case 'user':
      return `user:${canonical(ref.name)}`;
    case 'import':
      return `import:${ref.file}:${canonical(ref.name)}`;
    case 'revert':
      return `revert:${ref.file}:${ref.line}`;
  }
}

/** The policy field a reference points at, for diagnostics located in the policy file. */
export function ruleField(ref: RuleRef): (string | number)[] {
  switch (ref.type) {
    case 'inactivity':
      return ['inactivity', ref.index];
    case 'group':
      return ['groups', ref.group];
    case 'user':
      return ['users', ref.index];
    case 'import':
      return ['import'];
    case 'revert':
      return [];
  }
}
