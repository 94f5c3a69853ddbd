// Applying one change through Crowd's usermanagement API. Deactivation and activation read the user first
// and PUT the whole user back with the new flag (PUT replaces the user: leaving out a name or the email
// would blank it, or be refused), then read it back: applied only when Crowd shows the flag changed and the
// names and email as they were. A created user gets a random password nobody knows and a password-reset
// mail, so the person sets their own.
import { randomBytes } from 'node:crypto';
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Change } from '../../model.ts';
import { type ApplyOutcome, classifyWriteError, notCarriedOut } from '../shared/write-outcomes.ts';
import { CROWD_OUTCOMES } from './capabilities.ts';
import { type CrowdUser, UM, userId, wholeUser } from './entities.ts';

async function current(app: HttpClient, username: string): Promise<CrowdUser | null> {
  try {
    return await app.getJson<CrowdUser>(`${UM}/user`, { username });
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
}

const gone = (change: Change): ApplyOutcome => ({
  outcome: 'skipped',
  class: 'not-found',
  error: `user ${change.user} no longer exists`,
});

/** The account named in the plan may have been deleted and its name reused: compare ids before writing. */
function sameAccount(change: Change, u: CrowdUser): boolean {
  return change.userId === null || change.userId === userId(u);
}

const different = (change: Change): ApplyOutcome => ({
  outcome: 'skipped',
  class: 'not-found',
  error: `the account named ${change.user} is not the one planned (id ${change.userId}); re-plan`,
});

async function setActive(app: HttpClient, change: Change, want: boolean): Promise<ApplyOutcome> {
  const before = await current(app, change.user);
  if (!before) return gone(change);
  if (!sameAccount(change, before)) return different(change);
  if (before.active === want) return { outcome: 'already-in-state' };
  await app.put(`${UM}/user`, { query: { username: before.name }, body: wholeUser(before, want) });
  const after = await current(app, before.name);
  if (!after) return gone(change);
  if (after.active !== want) return notCarriedOut('the active flag');
  const lost = (['first-name', 'last-name', 'display-name', 'email'] as const).filter(
    (f) => (after[f] ?? '') !== (before[f] ?? ''),
  );
  if (lost.length > 0)
    return {
      outcome: 'failed',
      error: `Crowd changed ${lost.join(', ')} of ${before.name} while setting active=${want} (read back after the write); restore them in Crowd`,
    };
  return { outcome: 'applied' };
}

async function deleteUser(app: HttpClient, change: Change): Promise<ApplyOutcome> {
  const before = await current(app, change.user);
  if (!before) return { outcome: 'already-in-state' };
  if (!sameAccount(change, before)) return different(change);
  await app.delete(`${UM}/user`, { query: { username: before.name } });
  if (await current(app, before.name)) return notCarriedOut('the user');
  return { outcome: 'applied' };
}

async function createUser(
  app: HttpClient,
  change: Extract<Change, { kind: 'create-user' }>,
): Promise<ApplyOutcome> {
  if (await current(app, change.user)) return { outcome: 'already-in-state' };
  if (!change.email) return { outcome: 'failed', error: 'creating a user needs an email address' };
  const [first = '', ...rest] = change.displayName.trim().split(/\s+/);
  await app.post(`${UM}/user`, {
    body: {
      name: change.user,
      'first-name': first,
      'last-name': rest.join(' '),
      'display-name': change.displayName,
      email: change.email,
      active: true,
      password: { value: randomBytes(24).toString('base64url') },
    },
    // A repeat answers 400 "User already exists": already-in-state (CROWD_OUTCOMES).
    idempotent: true,
  });
  try {
    await app.post(`${UM}/user/mail/password`, { query: { username: change.user } });
  } catch (e) {
    return {
      outcome: 'failed',
      error: `created ${change.user}, but Crowd did not send the password-reset mail (${e instanceof Error ? e.message : String(e)}); send one from Crowd's administration console`,
    };
  }
  return { outcome: 'applied' };
}

async function addMember(app: HttpClient, group: string, username: string): Promise<ApplyOutcome> {
  // A repeat answers 409 "membership already exists": already-in-state (CROWD_OUTCOMES).
  await app.post(`${UM}/user/group/direct`, { query: { username }, body: { name: group }, idempotent: true });
  return { outcome: 'applied' };
}

async function removeMember(app: HttpClient, group: string, username: string): Promise<ApplyOutcome> {
  await app.delete(`${UM}/user/group/direct`, { query: { username, groupname: group } });
  return { outcome: 'applied' };
}

export async function applyChange(app: HttpClient, change: Change): Promise<ApplyOutcome> {
  try {
    switch (change.kind) {
      case 'activate':
      case 'deactivate':
        return await setActive(app, change, change.kind === 'activate');
      case 'delete':
        return await deleteUser(app, change);
      case 'create-user':
        return await createUser(app, change);
      case 'add-member':
        return await addMember(app, change.group, change.user);
      case 'remove-member':
        return await removeMember(app, change.group, change.user);
      case 'remove-access': {
        const results: ApplyOutcome[] = [];
        for (const g of change.groups)
          results.push(
            await removeMember(app, g, change.user).catch((e: unknown) =>
              classifyWriteError(e, CROWD_OUTCOMES, 'remove-access'),
            ),
          );
        const failed = results.find((r) => r.outcome === 'failed' || r.outcome === 'skipped');
        if (failed) return failed;
        return { outcome: results.some((r) => r.outcome === 'applied') ? 'applied' : 'already-in-state' };
      }
    }
  } catch (e) {
    return classifyWriteError(e, CROWD_OUTCOMES, change.kind);
  }
}
