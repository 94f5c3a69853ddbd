// Confluence DC writes, one change at a time. Confluence answers 204 to a disable or a membership change
// of a read-only LDAP user and changes nothing (atlassian-api.md §10), so nothing is called applied until
// it is read back: every write reads the state before (a repeat is already-in-state) and after (unchanged
// = not carried out, class read-only). Deletion is a long task followed to its end.
import { paginateConfluence } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Change } from '../../model.ts';
import { includesName } from '../../model/identity.ts';
import { plural } from '../../plural.ts';
import { type ApplyOutcome, classifyWriteError, notCarriedOut } from '../shared/write-outcomes.ts';
import { CONFLUENCE_OUTCOMES, CREATE_USER_REASON } from './capabilities.ts';
import { DEFAULT_TASK_WAIT, type TaskWait, waitForTask } from './longtask.ts';
import { adminUserPath, membershipPath, type Person, readPerson } from './people.ts';

export interface WriteContext {
  http: HttpClient;
  sleep: (ms: number) => Promise<void>;
  taskWait?: TaskWait;
}

const who = (c: Change) => ({ key: c.userId, username: c.user });

export async function applyChange(w: WriteContext, change: Change): Promise<ApplyOutcome> {
  try {
    switch (change.kind) {
      case 'activate':
      case 'deactivate':
        return await setEnabled(w, change, change.kind === 'activate');
      case 'delete':
        return await deleteUser(w, change);
      case 'add-member':
        return await membership(w, change, change.group, true);
      case 'remove-member':
        return await membership(w, change, change.group, false);
      case 'remove-access': {
        const results: ApplyOutcome[] = [];
        for (const g of change.groups)
          results.push(
            await membership(w, change, g, false).catch((e: unknown) =>
              classifyWriteError(e, CONFLUENCE_OUTCOMES, 'remove-access'),
            ),
          );
        const stopped = results.find((r) => r.outcome === 'failed' || r.outcome === 'skipped');
        if (stopped) return stopped;
        return { outcome: results.some((r) => r.outcome === 'applied') ? 'applied' : 'already-in-state' };
      }
      case 'create-user':
        // Declared unsupported: the planner lists it as skipped and never hands it over.
        return { outcome: 'failed', error: CREATE_USER_REASON };
    }
  } catch (e) {
    return classifyWriteError(e, CONFLUENCE_OUTCOMES, change.kind);
  }
}

async function setEnabled(w: WriteContext, change: Change, want: boolean): Promise<ApplyOutcome> {
  const before = await readPerson(w.http, who(change));
  if (!before)
    return { outcome: 'skipped', class: 'not-found', error: `user ${change.user} no longer exists` };
  if (before.active === want) return { outcome: 'already-in-state' };
  await w.http.put(adminUserPath(before.username, want ? 'enable' : 'disable'));
  const after = await readPerson(w.http, who(change));
  if (!after)
    return { outcome: 'failed', error: `user ${change.user} was gone when read back after the write` };
  if (after.active !== want)
    return notCarriedOut(
      `the account of ${before.username} (still ${after.active ? 'enabled' : 'disabled'})`,
    );
  return { outcome: 'applied' };
}

async function deleteUser(w: WriteContext, change: Change): Promise<ApplyOutcome> {
  const before = await readPerson(w.http, who(change));
  if (!before) return { outcome: 'already-in-state' };
  const res = await w.http.delete<{ id?: unknown }>(adminUserPath(before.username));
  const id = res.body && typeof res.body === 'object' && typeof res.body.id === 'string' ? res.body.id : null;
  const stillThere = async () => (await readPerson(w.http, who(change))) !== null;
  if (!id) {
    if (await stillThere())
      return {
        outcome: 'failed',
        error: `DELETE ${adminUserPath(before.username)} answered ${res.status} without a long task, and ${before.username} still exists`,
      };
    return { outcome: 'applied' };
  }
  const end = await waitForTask(w.http, id, w.sleep, w.taskWait ?? DEFAULT_TASK_WAIT);
  switch (end.state) {
    case 'failed':
      return {
        outcome: 'failed',
        error: `the deletion task ${id} of ${before.username} failed: ${end.messages.join('; ') || '(no message)'}`,
      };
    case 'running':
      return {
        outcome: 'failed',
        error: `the deletion task ${id} of ${before.username} did not finish within ${Math.round(end.waitedMs / 1000)} s (${plural(end.polls, 'poll')}${end.percent === null ? '' : `, last at ${end.percent}%`}); it may still finish: the next plan shows whether the user is gone`,
      };
    case 'gone':
    case 'succeeded':
      if (await stillThere())
        return {
          outcome: 'failed',
          error: `the deletion task ${id} of ${before.username} ${end.state === 'gone' ? 'is no longer known' : 'finished'}, but the user still exists`,
        };
      return { outcome: 'applied' };
  }
}

/** The groups a user is a direct member of. */
async function groupsOf(http: HttpClient, username: string): Promise<string[]> {
  const names: string[] = [];
  for await (const g of paginateConfluence<{ name: string }>(http, '/rest/api/user/memberof', {
    query: { username },
    pageSize: 200,
  }))
    names.push(g.name);
  return names;
}

async function membership(
  w: WriteContext,
  change: Change,
  group: string,
  want: boolean,
): Promise<ApplyOutcome> {
  const user: Person | null = await readPerson(w.http, who(change));
  if (!user) {
    if (!want) return { outcome: 'already-in-state' };
    return { outcome: 'skipped', class: 'not-found', error: `user ${change.user} does not exist` };
  }
  if (includesName(await groupsOf(w.http, user.username), group) === want)
    return { outcome: 'already-in-state' };
  const path = membershipPath(user.username, group);
  try {
    if (want) await w.http.put(path);
    else await w.http.delete(path);
  } catch (e) {
    return classifyWriteError(e, CONFLUENCE_OUTCOMES, want ? 'add-member' : 'remove-member');
  }
  if (includesName(await groupsOf(w.http, user.username), group) !== want)
    return notCarriedOut(`the membership of ${user.username} in ${group}`);
  return { outcome: 'applied' };
}
