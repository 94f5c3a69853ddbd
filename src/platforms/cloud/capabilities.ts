// What an Atlassian Cloud organisation can do over its admin API (platforms.md), and how its write answers
// read as outcomes. Suspending a user cuts every app of the directory (and stops billing them); to free
// one product's seat, remove-access leaves the access groups that grant it.
import type { Capabilities } from '../../model.ts';
import { capabilityTable } from '../../model/capabilities.ts';
import type { OutcomeTable } from '../shared/write-outcomes.ts';

export const CLOUD_CAPABILITIES: Capabilities = capabilityTable(
  {
    activate: 'restore access in the directory (POST …/users/{accountId}/restore)',
    'add-member': 'POST …/groups/{groupId}/memberships',
    'remove-member': 'DELETE …/groups/{groupId}/memberships/{accountId}',
    'remove-access': 'DELETE …/groups/{groupId}/memberships/{accountId} for each access group',
    deactivate: 'suspend access in the directory (POST …/users/{accountId}/suspend)',
    delete: 'remove from the directory (DELETE …/users/{accountId}); the Atlassian account stays',
  },
  {
    'create-user':
      'people join a Cloud organisation by invitation or from an identity provider, which this tool does not do: invite them in admin.atlassian.com',
  },
);

/** What the organisation says when a write touches what an identity provider manages. */
export const CLOUD_READ_ONLY =
  /identity provider|externally (synced|managed)|synced from|managed by (an|your) (idp|identity)|not modifiable|can(no|')t (be )?(change|modif)/i;

/**
 * The organisation's answers to writes, first match wins. Every write is checked before and read back after,
 * so these rows only decide what an error answer means. Both error shapes carry the message
 * (`{errors: [{title, detail}]}` and the gateway's `{message}`), see extractAtlassianMessage.
 */
export const CLOUD_OUTCOMES: OutcomeTable = [
  { status: [400, 403], message: CLOUD_READ_ONLY, then: 'read-only' },
  // The user is no longer in the directory, so neither is the membership, the access or the user.
  { status: 404, kinds: ['remove-member', 'remove-access', 'delete'], then: 'already-in-state' },
  { status: 404, then: 'not-found' },
  // Already a member (the API does not say how it answers; the read-back decides otherwise).
  { status: 409, kinds: ['add-member'], then: 'already-in-state' },
  // 403: the API key may not write (a key with scopes), or the target is protected by the organisation.
  { status: [403, 409], then: 'refused' },
];

/** What to do about a 403: the key type, named once here for reads and writes. */
export const KEY_HINT =
  'organisation API keys with scopes may only read (read:directories:admin, read:groups:admin, read:accounts:admin); writes need an API key without scopes (admin.atlassian.com → Settings → API keys)';
