// What Confluence Data Center can do over REST, per version (atlassian-api.md §3, §10), and how its write
// answers read as outcomes.
import type { Capabilities } from '../../model.ts';
import { capabilityTable } from '../../model/capabilities.ts';
import { DC_READ_ONLY, type OutcomeTable } from '../shared/write-outcomes.ts';

const OPERATIONS = {
  activate: 'PUT admin/user/{username}/enable',
  'add-member': 'PUT user/{username}/group/{group}',
  'remove-member': 'DELETE user/{username}/group/{group}',
  'remove-access': 'DELETE user/{username}/group/{group} for each access group',
  deactivate: 'PUT admin/user/{username}/disable',
  delete: 'DELETE admin/user/{username}, then its long task to the end',
} as const;

export const CREATE_USER_REASON =
  'Confluence Data Center: creating accounts is left to the user directory (this tool does not send passwords or invitations); create the account there, and the policy manages it once it exists';

/** Below this version user/list is missing: the instance cannot be read. */
export const USER_LIST_SINCE = [8, 4] as const;
/** admin/users/list/active (licensed active users, with their emails). */
export const ACTIVE_LIST_SINCE = [9, 3] as const;

export function atLeast(version: readonly number[], since: readonly number[]): boolean {
  const [major = 0, minor = 0] = version;
  return major > since[0]! || (major === since[0] && minor >= since[1]!);
}

/** `[]` (version not read yet) declares what the current versions can do. */
export function capabilitiesFor(version: readonly number[]): Capabilities {
  if (version.length > 0 && !atLeast(version, [8, 2])) {
    const reason = `Confluence ${version.join('.')} cannot disable, enable or delete users over REST (admin/user/{username}/disable|enable and DELETE admin/user arrived in 8.2)`;
    const { activate: _a, deactivate: _d, delete: _x, ...rest } = OPERATIONS;
    return capabilityTable(rest, {
      activate: reason,
      deactivate: reason,
      delete: reason,
      'create-user': CREATE_USER_REASON,
    });
  }
  return capabilityTable(OPERATIONS, { 'create-user': CREATE_USER_REASON });
}

/** Confluence's answers to writes (atlassian-api.md §3, §10), first match wins. */
export const CONFLUENCE_OUTCOMES: OutcomeTable = [
  // Removing a membership whose user or group no longer exists: the membership does not exist either.
  { status: 404, kinds: ['remove-member', 'remove-access', 'delete'], then: 'already-in-state' },
  { status: 404, kinds: ['activate', 'deactivate'], then: 'not-found' },
  // Deleting a user of a read-only directory: 400 "User is not removable".
  { message: DC_READ_ONLY, then: 'read-only' },
];
