// What Bitbucket Data Center can do over REST 1.0 (platforms.md), and how its write answers read as
// outcomes. Bitbucket has no deactivation over REST (BSERV-8817): the way to free a seat is remove-access,
// which leaves the access groups and revokes the user's own global permission.
import type { Capabilities } from '../../model.ts';
import { capabilityTable } from '../../model/capabilities.ts';
import { DC_READ_ONLY, type OutcomeTable } from '../shared/write-outcomes.ts';

const NO_DEACTIVATION =
  'Bitbucket has no deactivation over REST (BSERV-8817): use remove-access, which leaves the access groups and drops the direct LICENSED_USER permission';

export const BITBUCKET_CAPABILITIES: Capabilities = capabilityTable(
  {
    'add-member': 'POST admin/users/add-groups',
    'remove-member': 'POST admin/users/remove-group',
    'remove-access':
      'POST admin/users/remove-group for each access group, then DELETE admin/permissions/users (the direct global permission)',
    delete: 'DELETE admin/users',
  },
  {
    deactivate: NO_DEACTIVATION,
    activate: 'Bitbucket has no deactivation over REST (BSERV-8817), so nothing to reactivate',
    'create-user':
      'users are not created on Bitbucket by this tool: create them in the user directory Bitbucket reads',
  },
);

/**
 * Bitbucket's answers to writes, first match wins. Membership writes and deletion are checked before and
 * read back after, so these rows only decide what an error answer means.
 */
export const BITBUCKET_OUTCOMES: OutcomeTable = [
  { message: DC_READ_ONLY, then: 'read-only' },
  // The user (or group) no longer exists, so neither does the membership, the seat or the account.
  { status: 404, kinds: ['remove-member', 'remove-access', 'delete'], then: 'already-in-state' },
  { status: 404, kinds: ['add-member'], then: 'not-found' },
  // 403: the target has a higher permission than the caller (delete), or the group does (membership), or
  // the licence limit; 409: deleting yourself, or lowering your own permission.
  { status: [403, 409], then: 'refused' },
];
