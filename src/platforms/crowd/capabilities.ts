// What Crowd can do over its usermanagement REST API (as an application), and how its write answers read as
// outcomes: Crowd's ErrorEntity messages per its exception mappers (crowd-rest-common 5.1.6) and
// ApplicationServiceGeneric (crowd-core 5.1.6).
import type { Capabilities } from '../../model.ts';
import { capabilityTable } from '../../model/capabilities.ts';
import type { OutcomeTable } from '../shared/write-outcomes.ts';

export const CROWD_CAPABILITIES: Capabilities = capabilityTable({
  'create-user': 'POST /user with a random password, then a password-reset mail',
  activate: 'PUT /user active=true (the whole user, read first)',
  'add-member': 'POST /user/group/direct',
  'remove-member': 'DELETE /user/group/direct',
  'remove-access': 'DELETE /user/group/direct from each access group',
  deactivate: 'PUT /user active=false (the whole user, read first)',
  delete: 'DELETE /user',
});

/**
 * Crowd's answers for a directory that does not allow a write (403 APPLICATION_PERMISSION_DENIED):
 * "Cannot update user 'x' because directory 'y' does not allow updates.", "Not allowed to delete user 'x' from
 * directory 'y'.", "Could not add user x to group g in directory d because the directory or group is read-only."
 */
export const CROWD_READ_ONLY = /does not allow updates|is read-only|not allowed to (?:update|delete) user/i;

/** First match wins; anything unlisted is `failed` with Crowd's message. */
export const CROWD_OUTCOMES: OutcomeTable = [
  // 409 MEMBERSHIP_ALREADY_EXISTS: "Membership already exists … from child entity [u] to parent entity [g]".
  { status: 409, message: /membership already exists/i, kinds: ['add-member'], then: 'already-in-state' },
  // 404 MEMBERSHIP_NOT_FOUND, USER_NOT_FOUND or GROUP_NOT_FOUND on removal: the membership is gone either way.
  {
    status: 404,
    message: /is not a member of|does not exist/i,
    kinds: ['remove-member', 'remove-access'],
    then: 'already-in-state',
  },
  { status: [400, 404], message: /does not exist/i, kinds: ['add-member'], then: 'not-found' },
  // 400 INVALID_USER "User already exists": a creation repeated after a lost answer.
  { status: 400, message: /already exists/i, kinds: ['create-user'], then: 'already-in-state' },
  { status: 403, message: CROWD_READ_ONLY, then: 'read-only' },
];
