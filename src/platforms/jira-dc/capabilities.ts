// What Jira Data Center can do over REST v2, per version, and how its write answers read as outcomes.
import type { Capabilities } from '../../model.ts';
import { capabilityTable } from '../../model/capabilities.ts';
import { DC_READ_ONLY, type OutcomeTable } from '../shared/write-outcomes.ts';

const OPERATIONS = {
  'create-user': 'POST user',
  activate: 'PUT user active=true',
  'add-member': 'POST group/user',
  'remove-member': 'DELETE group/user',
  'remove-access': 'DELETE group/user from each access group',
  deactivate: 'PUT user active=false',
  delete: 'DELETE user',
} as const;

/** `[]` (version not read yet) declares everything the current versions can do. */
export function capabilitiesFor(version: readonly number[]): Capabilities {
  const [major = 99, minor = 0] = version;
  if (major < 8 || (major === 8 && minor < 3)) {
    const reason = `Jira ${version.join('.')} cannot change the active flag over REST (PUT user active= arrived in 8.3)`;
    const { activate: _a, deactivate: _d, ...rest } = OPERATIONS;
    return capabilityTable(rest, { activate: reason, deactivate: reason });
  }
  return capabilityTable(OPERATIONS);
}

/** Jira's answers to writes (atlassian-api.md §2.3, §2.4, decision 6), first match wins. */
export const JIRA_OUTCOMES: OutcomeTable = [
  { status: 400, message: /already a member/i, then: 'already-in-state' },
  // A creation repeated after a lost answer: the user is there.
  { status: 400, message: /already exists/i, kinds: ['create-user'], then: 'already-in-state' },
  // 404 on remove: the user or the group no longer exists, so neither does the membership.
  {
    status: 404,
    message: /does not exist/i,
    kinds: ['remove-member', 'remove-access'],
    then: 'already-in-state',
  },
  // Writes without a read first (one request per change): an unknown user is the answer's 404.
  { status: 404, message: /does not exist/i, kinds: ['delete'], then: 'already-in-state' },
  { status: 404, message: /does not exist/i, kinds: ['activate', 'deactivate'], then: 'not-found' },
  { message: DC_READ_ONLY, then: 'read-only' },
];
