// The organisation's writes, each checked before and read back after: a change already in effect is
// already-in-state without a write, and a 2xx the organisation did not carry out is never called applied
// (its success codes are not documented: 200 and 204 both count). deactivate = suspend in the directory,
// activate = restore, delete = remove from the directory (possibly asynchronous: read back a few times),
// memberships by group id in the user's directory; remove-access leaves each access group.
import { HttpError } from '../../http/index.ts';
import type { Change } from '../../model.ts';
import { NameMap } from '../../model/identity.ts';
import { type ApplyOutcome, classifyWriteError } from '../shared/write-outcomes.ts';
import type { CloudApi, CloudGroup, CloudUser } from './api.ts';
import { CLOUD_CAPABILITIES, CLOUD_OUTCOMES, KEY_HINT } from './capabilities.ts';
import { isActive, type ListedGroup, type ListedUser } from './snapshot.ts';

type Kind = Change['kind'];

export interface WriteContext {
  /** The directories the policy manages. */
  directories(): Promise<{ id: string; name: string }[]>;
  sleep(ms: number): Promise<void>;
}

/** Read-backs after a removal the organisation may process asynchronously: waits in ms before each. */
export const REMOVAL_READS_MS = [0, 2000, 5000, 10000];

function unconfirmed(what: string): ApplyOutcome {
  return {
    outcome: 'failed',
    class: 'unconfirmed',
    error: `the organisation answered the request with success but ${what} (read back after the write)`,
  };
}

async function attempt(kind: Kind, write: () => Promise<unknown>): Promise<ApplyOutcome | null> {
  try {
    await write();
    return null;
  } catch (e) {
    const r = classifyWriteError(e, CLOUD_OUTCOMES, kind);
    if (r.outcome === 'failed' && e instanceof HttpError && e.status === 403)
      return { ...r, error: `${r.error ?? e.message}; ${KEY_HINT}` };
    return r;
  }
}

const isMember = (u: CloudUser, groupId: string): boolean => (u.groups ?? []).some((g) => g.id === groupId);

export class CloudWrites {
  private readonly api: CloudApi;
  private readonly ctx: WriteContext;
  /** account id → the directory it was listed in. */
  private readonly dirOf = new Map<string, string>();
  /** directory id → its groups by name. */
  private readonly groupsOf = new Map<string, NameMap<CloudGroup>>();

  constructor(api: CloudApi, ctx: WriteContext) {
    this.api = api;
    this.ctx = ctx;
  }

  /** What the snapshot read: where each user is, and the groups of each directory. */
  remember(users: readonly ListedUser[], groups: readonly ListedGroup[]): void {
    for (const u of users) this.dirOf.set(u.user.accountId, u.dir);
    for (const g of groups) {
      const map = this.groupsOf.get(g.dir) ?? new NameMap<CloudGroup>();
      map.set(g.group.name, g.group);
      this.groupsOf.set(g.dir, map);
    }
  }

  /** The user as the organisation lists them now, and their directory; null when no directory lists them. */
  private async locate(accountId: string): Promise<{ dir: string; user: CloudUser } | null> {
    const known = this.dirOf.get(accountId);
    const dirs = known !== undefined ? [known] : (await this.ctx.directories()).map((d) => d.id);
    for (const dir of dirs) {
      const user = await this.api.user(dir, accountId);
      if (user) {
        this.dirOf.set(accountId, dir);
        return { dir, user };
      }
    }
    return null;
  }

  /**
   * The group named so, and its directory: the user's directory first, then the other directories managed
   * (the snapshot made sure a name the policy uses is one group).
   */
  private async group(userDir: string, name: string): Promise<{ dir: string; group: CloudGroup } | null> {
    const dirs = [userDir, ...(await this.ctx.directories()).map((d) => d.id).filter((d) => d !== userDir)];
    for (const dir of dirs) {
      const cached = this.groupsOf.get(dir)?.get(name);
      if (cached) return { dir, group: cached };
    }
    for (const dir of dirs) {
      const found = await this.api.group(dir, name);
      if (!found) continue;
      const map = this.groupsOf.get(dir) ?? new NameMap<CloudGroup>();
      map.set(found.name, found);
      this.groupsOf.set(dir, map);
      return { dir, group: found };
    }
    return null;
  }

  async apply(change: Change): Promise<ApplyOutcome> {
    if (change.kind === 'create-user') {
      const c = CLOUD_CAPABILITIES['create-user'];
      return { outcome: 'skipped', error: `unsupported: ${c.supported ? c.operation : c.reason}` };
    }
    if (change.userId === null)
      return { outcome: 'skipped', class: 'not-found', error: `${change.user} has no account id` };
    switch (change.kind) {
      case 'deactivate':
        return this.setAccess(change, false);
      case 'activate':
        return this.setAccess(change, true);
      case 'delete':
        return this.remove(change);
      case 'add-member':
        return this.addMember(change, change.group);
      case 'remove-member':
        return this.removeMember(change, change.group, 'remove-member');
      case 'remove-access':
        return this.removeAccess(change);
    }
  }

  /** Suspends (active = false) or restores (true) the user's access in their directory. */
  private async setAccess(change: Change, active: boolean): Promise<ApplyOutcome> {
    const id = change.userId!;
    const found = await this.locate(id);
    if (!found)
      return {
        outcome: 'skipped',
        class: 'not-found',
        error: `${change.user} is no longer in a directory of the organisation`,
      };
    if (isActive(found.user) === active) return { outcome: 'already-in-state' };
    const kind = active ? 'activate' : 'deactivate';
    const failed = await attempt(kind, () =>
      active ? this.api.restore(found.dir, id) : this.api.suspend(found.dir, id),
    );
    if (failed) return failed;
    const after = await this.api.user(found.dir, id);
    if (!after || isActive(after) !== active)
      return unconfirmed(`${change.user} is ${active ? 'still not active' : 'still active'}`);
    return { outcome: 'applied' };
  }

  private async remove(change: Change): Promise<ApplyOutcome> {
    const id = change.userId!;
    const found = await this.locate(id);
    if (!found) return { outcome: 'already-in-state' };
    const failed = await attempt('delete', () => this.api.remove(found.dir, id));
    if (failed) return failed;
    let waited = 0;
    for (const ms of REMOVAL_READS_MS) {
      if (ms > 0) await this.ctx.sleep(ms);
      waited += ms;
      if (!(await this.api.user(found.dir, id))) {
        this.dirOf.delete(id);
        return { outcome: 'applied' };
      }
    }
    return unconfirmed(
      `${change.user} is still listed ${Math.round(waited / 1000)} s later (removal may be asynchronous: the next run sees whether it happened)`,
    );
  }

  /** The user, the group and the group's directory, or why the membership cannot be written. */
  private async membership(
    change: Change,
    name: string,
  ): Promise<{ dir: string; user: CloudUser; group: CloudGroup; userDir: string } | ApplyOutcome> {
    const found = await this.locate(change.userId!);
    if (!found) return { outcome: 'skipped', class: 'not-found', error: `${change.user} no longer exists` };
    const group = await this.group(found.dir, name);
    if (!group)
      return {
        outcome: 'skipped',
        class: 'not-found',
        error: `group ${name} does not exist in the directories managed`,
      };
    return { dir: group.dir, group: group.group, user: found.user, userDir: found.dir };
  }

  private async addMember(change: Change, name: string): Promise<ApplyOutcome> {
    const m = await this.membership(change, name);
    if ('outcome' in m) return m;
    if (isMember(m.user, m.group.id)) return { outcome: 'already-in-state' };
    const failed = await attempt('add-member', () => this.api.addMember(m.dir, m.group.id, m.user.accountId));
    if (failed) return failed;
    const after = await this.api.user(m.userDir, m.user.accountId);
    if (!after || !isMember(after, m.group.id))
      return unconfirmed(`${change.user} is not a member of ${name}`);
    return { outcome: 'applied' };
  }

  private async removeMember(change: Change, name: string, kind: Kind): Promise<ApplyOutcome> {
    // A user who is no longer in the organisation holds no membership.
    if (!(await this.locate(change.userId!))) return { outcome: 'already-in-state' };
    const m = await this.membership(change, name);
    if ('outcome' in m) return m;
    if (!isMember(m.user, m.group.id)) return { outcome: 'already-in-state' };
    const failed = await attempt(kind, () => this.api.removeMember(m.dir, m.group.id, m.user.accountId));
    if (failed) return failed;
    const after = await this.api.user(m.userDir, m.user.accountId);
    if (after && isMember(after, m.group.id))
      return unconfirmed(`${change.user} is still a member of ${name}`);
    return { outcome: 'applied' };
  }

  /** Leaves each access group; the first failure ends it, saying what was done. */
  private async removeAccess(change: Extract<Change, { kind: 'remove-access' }>): Promise<ApplyOutcome> {
    const done: string[] = [];
    for (const g of change.groups) {
      const r = await this.removeMember(change, g, 'remove-access');
      if (r.outcome === 'failed' || r.outcome === 'skipped') {
        if (done.length === 0) return r;
        return { ...r, error: `${done.join(', ')}; then: ${r.error ?? r.outcome}` };
      }
      if (r.outcome === 'applied') done.push(`left ${g}`);
    }
    return { outcome: done.length > 0 ? 'applied' : 'already-in-state' };
  }
}
