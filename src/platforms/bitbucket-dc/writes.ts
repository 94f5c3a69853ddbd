// Bitbucket's writes, each checked before and read back after: a change already in effect is
// already-in-state without a write, and a 2xx the instance did not carry out is never called applied.
// Membership: add-groups / remove-group (idempotent by the check, whatever Bitbucket answers to a repeat).
// Deletion: DELETE admin/users (403: the target outranks the caller; 409: yourself — outcomes with the
// API's message). remove-access: leave each access group, then revoke the direct global permission, so a
// user licensed both ways keeps no seat.
import type { Change } from '../../model.ts';
import { type ApplyOutcome, classifyWriteError } from '../shared/write-outcomes.ts';
import type { BitbucketApi } from './api.ts';
import { BITBUCKET_OUTCOMES } from './capabilities.ts';

type Kind = Change['kind'];

function unconfirmed(what: string): ApplyOutcome {
  return {
    outcome: 'failed',
    class: 'unconfirmed',
    error: `Bitbucket answered the request with success but ${what} (read back after the write)`,
  };
}

async function attempt(kind: Kind, write: () => Promise<unknown>): Promise<ApplyOutcome | null> {
  try {
    await write();
    return null;
  } catch (e) {
    return classifyWriteError(e, BITBUCKET_OUTCOMES, kind);
  }
}

export async function deleteUser(api: BitbucketApi, change: Change): Promise<ApplyOutcome> {
  const current = await api.findUser(change.user);
  if (!current) return { outcome: 'already-in-state' };
  if (change.userId !== null && String(current.id) !== change.userId)
    return {
      outcome: 'skipped',
      class: 'not-found',
      error: `${change.user} is now another account (id ${current.id}, planned for id ${change.userId}); not deleted`,
    };
  const failed = await attempt('delete', () => api.deleteUser(current.name));
  if (failed) return failed;
  if (await api.findUser(change.user)) return unconfirmed(`${change.user} is still listed`);
  return { outcome: 'applied' };
}

export async function addMember(api: BitbucketApi, user: string, group: string): Promise<ApplyOutcome> {
  const member = await api.isMember(user, group);
  if (member === null)
    return { outcome: 'skipped', class: 'not-found', error: `user ${user} no longer exists` };
  if (member) return { outcome: 'already-in-state' };
  const failed = await attempt('add-member', () => api.addToGroup(user, group));
  if (failed) return failed;
  if (!(await api.isMember(user, group))) return unconfirmed(`${user} is not a member of ${group}`);
  return { outcome: 'applied' };
}

export async function removeMember(
  api: BitbucketApi,
  user: string,
  group: string,
  kind: Kind = 'remove-member',
): Promise<ApplyOutcome> {
  const member = await api.isMember(user, group);
  // A user that no longer exists is a member of nothing.
  if (!member) return { outcome: 'already-in-state' };
  const failed = await attempt(kind, () => api.removeFromGroup(user, group));
  if (failed) return failed;
  if (await api.isMember(user, group)) return unconfirmed(`${user} is still a member of ${group}`);
  return { outcome: 'applied' };
}

async function revokeDirect(api: BitbucketApi, user: string): Promise<ApplyOutcome> {
  if ((await api.directPermission(user)) === null) return { outcome: 'already-in-state' };
  const failed = await attempt('remove-access', () => api.revokeUserPermissions(user));
  if (failed) return failed;
  const left = await api.directPermission(user);
  if (left !== null) return unconfirmed(`${user} still holds ${left} directly`);
  return { outcome: 'applied' };
}

/** Leaves each access group, then drops the direct permission; the first failure ends it, saying what was done. */
export async function removeAccess(
  api: BitbucketApi,
  change: Extract<Change, { kind: 'remove-access' }>,
): Promise<ApplyOutcome> {
  const steps: { what: string; run: () => Promise<ApplyOutcome> }[] = [
    ...change.groups.map((g) => ({
      what: `left ${g}`,
      run: () => removeMember(api, change.user, g, 'remove-access'),
    })),
    ...((change.direct ?? []).length > 0
      ? [{ what: 'revoked the direct global permission', run: () => revokeDirect(api, change.user) }]
      : []),
  ];
  const done: string[] = [];
  for (const step of steps) {
    const r = await step.run();
    if (r.outcome === 'failed' || r.outcome === 'skipped') {
      if (done.length === 0) return r;
      return { ...r, error: `${done.join(', ')}; then: ${r.error ?? r.outcome}` };
    }
    if (r.outcome === 'applied') done.push(step.what);
  }
  return { outcome: done.length > 0 ? 'applied' : 'already-in-state' };
}
