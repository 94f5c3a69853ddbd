// The kinds of change the engine plans, in the order they are applied.

export const CHANGE_KINDS = [
  'create-user',
  'activate',
  'add-member',
  'remove-member',
  'remove-access',
  'deactivate',
  'delete',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Kinds that take something away from a person: highlighted in reports, bounded by limits. */
export const DESTRUCTIVE_KINDS: readonly ChangeKind[] = [
  'remove-member',
  'remove-access',
  'deactivate',
  'delete',
];
/** Kinds that act on the whole account or its licensed seat (what max_fraction bounds). */
export const ACCOUNT_DESTRUCTIVE_KINDS: readonly ChangeKind[] = ['remove-access', 'deactivate', 'delete'];
/** Kinds that change the account itself (not its memberships). */
export const ACCOUNT_KINDS: readonly ChangeKind[] = ['create-user', 'activate', 'deactivate', 'delete'];
/** Kinds that change group memberships. */
export const MEMBERSHIP_KINDS: readonly ChangeKind[] = ['add-member', 'remove-member', 'remove-access'];

export function isDestructive(kind: ChangeKind): boolean {
  return DESTRUCTIVE_KINDS.includes(kind);
}
