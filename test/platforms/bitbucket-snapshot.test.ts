// The Bitbucket DC driver reads over real HTTP: the snapshot equals the store (activity from
// lastAuthenticationTimestamp, never = null, directories, read-only marks known before apply, SERVICE
// accounts, seats through access groups and direct permissions, administrators by permission), whatever
// the page size; dead credentials and credentials without ADMIN fail instead of reading an empty instance.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { AuthError } from '../../src/http/index.ts';
import type { Snapshot } from '../../src/model.ts';
import { bitbucket, type BitbucketHarness } from './bitbucket-helpers.ts';
import { fakeTime, NOW, policy } from './helpers.ts';

const POLICY = `version: 1
instance: { platform: bitbucket-dc, access_groups: [stash-users] }
groups:
  developers: { mode: additive, members: [alice] }
`;

describe('Bitbucket DC snapshot', () => {
  let h: BitbucketHarness;
  afterEach(() => h.close());

  const snapshotOf = async (o: Parameters<BitbucketHarness['connect']>[1] = {}): Promise<Snapshot> => {
    const conn = await h.connect(policy(POLICY), o);
    return conn.adapter.snapshot();
  };

  it('equals the store', async () => {
    h = await bitbucket();
    const s = await snapshotOf();
    const store = h.sb.store;
    expect(s).toMatchObject({
      platform: 'bitbucket-dc',
      version: '9.4.13',
      self: h.id('admin'),
      directories: ['Bitbucket Internal Directory', 'Corporate LDAP'],
      allGroups: ['developers', 'ldap-staff', 'stash-users', 'sys-admins'],
      activity: { available: true },
    });
    expect(s.capabilities?.deactivate.supported).toBe(false);
    expect(s.users.map((u) => u.id).sort()).toEqual(
      store
        .users()
        .map((u) => String(u.id))
        .sort(),
    );
    for (const r of store.users()) {
      const u = s.users.find((x) => x.id === String(r.id))!;
      expect({ name: u.name, email: u.email, displayName: u.displayName, active: u.active }).toEqual({
        name: r.name,
        email: r.email,
        displayName: r.displayName,
        active: r.active,
      });
      expect({ user: r.name, lastActive: u.lastActive, known: u.activityKnown, created: u.created }).toEqual({
        user: r.name,
        lastActive: r.lastLogin,
        known: true,
        created: null,
      });
      expect(u.directory.name).toBe(store.directory(r.directoryId)!.name);
      // The groups read: those the policy names (stash-users, developers) and those granting ADMIN+.
      const read = ['developers', 'stash-users', 'sys-admins'];
      expect({ user: r.name, groups: u.groups }).toEqual({
        user: r.name,
        groups: store.groupsOf(r).filter((g) => read.includes(g)),
      });
    }
    const by = (n: string) => s.users.find((u) => u.name === n)!;
    expect(by('dave').lastActive).toBeNull();
    expect(by('bob').access).toEqual({ groups: ['stash-users'], direct: ['LICENSED_USER'] });
    expect(by('gina').access).toEqual({ groups: [], direct: ['LICENSED_USER'] });
    expect(by('alice').access).toEqual({ groups: ['stash-users'], direct: [] });
    expect(by('frank').access).toEqual({ groups: [], direct: [] });
    expect(by('ci-bot').service).toBe(true);
    expect(by('alice').service).toBeUndefined();
    expect(by('carol').directory).toEqual({ id: 'Corporate LDAP', name: 'Corporate LDAP', readOnly: true });
    expect(by('carol').readOnly?.map((m) => m.kinds)).toEqual([
      ['add-member', 'remove-member', 'remove-access'],
      ['delete'],
    ]);
    expect(by('alice').readOnly).toBeUndefined();
    expect(s.admins).toEqual([
      { label: 'group sys-admins', group: 'sys-admins', members: [h.id('root')] },
      { label: 'direct SYS_ADMIN permission', group: null, members: [h.id('admin')] },
      { label: 'direct ADMIN permission', group: null, members: [h.id('pat')] },
    ]);
  });

  it('is the same in pages of 2, with Basic auth, and tells who the account is', async () => {
    h = await bitbucket();
    const full = await snapshotOf();
    h.sb.configure({ maxPageSize: 2 });
    const paged = await snapshotOf({
      credentials: { username: 'admin', password: h.sb.credentials.password },
    });
    expect({ ...paged, takenAt: '' }).toEqual({ ...full, takenAt: '' });
    expect(h.sb.allRequests.some((r) => r.query.start === '2')).toBe(true);
  });

  it('rides out a failed page and the rate limit, and fails when a page keeps failing', async () => {
    const time = fakeTime();
    h = await bitbucket({ clock: time.now, sleep: time.sleep, rateLimit: { capacity: 3, fillRate: 3 } });
    const full = await snapshotOf();
    h.sb.configure({ maxPageSize: 4 });
    h.sb.failNext('/rest/api/1.0/admin/users', 502, { skip: 1 });
    const again = await snapshotOf();
    expect(again.users.map((u) => u.id)).toEqual(full.users.map((u) => u.id));
    expect(h.sb.allRequests.some((r) => r.status === 429)).toBe(true);
    expect(h.sb.allRequests.some((r) => r.status === 502)).toBe(true);
    h.sb.failNext('/rest/api/1.0/admin/users', 500, { skip: 1, times: 100 });
    const err = (await snapshotOf().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^GET \/rest\/api\/1\.0\/admin\/users: 500 Internal Server Error/);
  });

  it('fails on dead credentials (401), never reading an empty instance', async () => {
    h = await bitbucket();
    const err = await snapshotOf({ credentials: { token: 'revoked' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe(
      'GET /rest/api/1.0/application-properties: 401 Unauthorized: Authentication failed. Please check your credentials and try again.',
    );
  });

  it('fails when the account may list users but not read global permissions (no ADMIN)', async () => {
    h = await bitbucket();
    const err = (await snapshotOf({ credentials: { username: 'alice', password: 'wonderland' } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(
      /^GET \/rest\/api\/1\.0\/admin\/permissions\/users: 401 Unauthorized: You are not permitted to access this resource — reading global permissions needs the ADMIN \(or SYS_ADMIN\) permission/,
    );
  });
});

describe('Bitbucket DC plan', () => {
  let h: BitbucketHarness;
  afterEach(() => h.close());

  it('shows deactivate as skipped: unsupported, leaves service accounts alone, skips read-only users before apply', async () => {
    h = await bitbucket();
    const resolved = policy(`version: 1
instance: { platform: bitbucket-dc, access_groups: [stash-users] }
inactivity:
  - { name: seat, inactive_days: 90, action: remove-access }
  - { name: dormant, inactive_days: 180, action: deactivate }
limits: { max_fraction: 1 }
`);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual(['remove-access gina']);
    expect(plan.changes[0]).toMatchObject({ groups: [], direct: ['LICENSED_USER'] });
    expect(plan.skipped.map((s) => `${s.kind} ${s.user}: ${s.why}: ${s.detail}`)).toEqual([
      'remove-access dave: activity-unknown: never logged in and the creation date is unknown (rules seat, dormant)',
      'deactivate carol: read-only-directory: account in read-only directory Corporate LDAP',
      'deactivate bob: unsupported: Bitbucket has no deactivation over REST (BSERV-8817): use remove-access, which leaves the access groups and drops the direct LICENSED_USER permission',
    ]);
    // ci-bot (SERVICE, 400 days) is neither planned nor skipped; erin is inactive already.
    expect(JSON.stringify(plan)).not.toContain('ci-bot');
  });

  it('skips memberships of a group Bitbucket cannot delete (a read-only directory’s group) before apply', async () => {
    h = await bitbucket();
    const resolved = policy(`version: 1
instance: { platform: bitbucket-dc, access_groups: [stash-users] }
groups:
  ldap-staff: { mode: additive, members: [alice] }
  developers: { mode: additive, members: [bob] }
`);
    const { plan, snapshot } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(snapshot.groups.find((g) => g.name === 'ldap-staff')?.readOnly).toBe(true);
    expect(snapshot.groups.find((g) => g.name === 'developers')?.readOnly).toBe(false);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual(['add-member bob']);
    expect(plan.skipped.map((s) => `${s.kind} ${s.user} ${s.group}: ${s.why}: ${s.detail}`)).toEqual([
      'add-member alice ldap-staff: read-only-directory: Bitbucket cannot delete group ldap-staff (deletable: false): it comes from a read-only directory, so its members are not changed here',
    ]);
  });
});
