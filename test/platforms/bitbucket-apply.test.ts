// The Bitbucket DC driver applies over real HTTP, asserted on the store and the audit: remove-access
// leaves the access groups AND drops the direct permission (a user licensed both ways keeps no seat);
// read-only users are skipped before apply (no request touches them); delete answers 403 (the target
// outranks the caller) and 409 (yourself) are outcomes with the API's message; membership writes are
// checked first (a repeat writes nothing) and read back (a 2xx that changed nothing is not "applied").
import { afterEach, describe, expect, it } from 'vitest';
import { applyLive } from '../../src/app/apply-run.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import type { Change } from '../../src/model.ts';
import { bitbucket, type BitbucketHarness, bitbucketOrg } from './bitbucket-helpers.ts';
import { label, NOW, policy, readAudit, run, tempDir, withoutLease } from './helpers.ts';

const SEATS = `version: 1
instance: { platform: bitbucket-dc, access_groups: [stash-users] }
inactivity:
  - { name: seat, inactive_days: 90, action: remove-access }
limits: { max_fraction: 1 }
`;

const change = (c: Partial<Change> & Pick<Change, 'kind' | 'user'>): Change =>
  ({
    userId: null,
    rule: { type: 'users', index: 0 },
    reason: { type: 'declared', state: 'absent' },
    ...c,
  }) as Change;

describe('Bitbucket DC apply', () => {
  let h: BitbucketHarness;
  afterEach(() => h.close());

  it('remove-access leaves stash-users and revokes the direct permission; read-only users are not touched; a rerun converges', async () => {
    h = await bitbucket();
    const resolved = policy(SEATS);
    const reader = await h.connect(resolved);
    const first = await readAndPlan(resolved, reader, NOW);
    expect(first.plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual([
      'remove-access bob',
      'remove-access gina',
    ]);
    expect(first.plan.skipped.find((s) => s.user === 'carol')).toMatchObject({
      kind: 'remove-access',
      why: 'read-only-directory',
      detail:
        'Bitbucket does not let the groups of carol change (mutableGroups: false (directory Corporate LDAP))',
    });
    const out = await tempDir();
    const writer = await h.connect(resolved, { readOnly: false });
    const applied = await applyLive(resolved, writer, run(out, { reviewed: first.plan }));

    expect(h.seat('bob')).toEqual({ groups: [], direct: null, licensed: false });
    expect(h.seat('gina')).toEqual({ groups: [], direct: null, licensed: false });
    expect(h.seat('carol')).toEqual({ groups: ['ldap-staff', 'stash-users'], direct: null, licensed: true });
    expect(h.seat('alice').licensed).toBe(true);
    // Changes run concurrently: compare the writes as a set.
    expect(
      withoutLease(h.sb.requests)
        .map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body ?? r.query)}`)
        .sort(),
    ).toEqual([
      'DELETE /rest/api/1.0/admin/permissions/users {"name":"bob"}',
      'DELETE /rest/api/1.0/admin/permissions/users {"name":"gina"}',
      'POST /rest/api/1.0/admin/users/remove-group {"context":"bob","itemName":"stash-users"}',
    ]);
    const rows = await readAudit(applied.auditFile);
    expect(rows.map((r) => `${label(r)}: ${r.outcome}`).sort()).toEqual([
      'remove-access bob stash-users: applied',
      'remove-access gina: applied',
    ]);

    const again = await readAndPlan(resolved, reader, NOW);
    expect(again.plan.changes).toEqual([]);
  });

  it('reports 403 (the target outranks the caller) and 409 (yourself) on delete with the API’s message', async () => {
    const scenario = bitbucketOrg();
    scenario.users.push({ name: 'root2', lastLogin: NOW.toISOString(), groups: ['sys-admins'] });
    // The credentials are pat's: ADMIN, below root's SYS_ADMIN.
    h = await bitbucket({ scenario, credentials: { username: 'pat', token: 'pat-token' } });
    const resolved = policy(`version: 1
instance: { platform: bitbucket-dc }
users:
  - { name: root, state: absent }
  - { name: pat, state: absent }
limits: { max_deletions: 5, max_fraction: 1 }
`);
    const writer = await h.connect(resolved, { readOnly: false });
    const out = await tempDir();
    const applied = await applyLive(resolved, writer, run(out));
    expect(applied.plan.skipped.map((s) => `${s.kind} ${s.user}: ${s.detail}`)).toEqual([
      'delete pat: the account behind the credentials',
    ]);
    const rows = await readAudit(applied.auditFile);
    expect(rows.map((r) => `${label(r)}: ${r.outcome}: ${r.error}`)).toEqual([
      'delete root: failed: DELETE /rest/api/1.0/admin/users: 403 Forbidden: You cannot delete root because they have a higher global permission than you.',
    ]);
    expect(applied.report.results[0]!.class).toBe('refused');
    expect(h.sb.store.user('root')).toBeDefined();

    // The planner never plans deleting yourself; asked anyway, the driver reports Bitbucket's 409.
    const self = await writer.adapter.apply(change({ kind: 'delete', user: 'pat', userId: h.id('pat') }));
    expect(self).toEqual({
      outcome: 'failed',
      class: 'refused',
      error: 'DELETE /rest/api/1.0/admin/users: 409 Conflict: You cannot delete yourself.',
    });
    expect(h.sb.store.user('pat')).toBeDefined();
  });

  it('deletes, and a user already gone is already-in-state', async () => {
    h = await bitbucket();
    const writer = await h.connect(policy(SEATS), { readOnly: false });
    const del = change({ kind: 'delete', user: 'frank', userId: h.id('frank') });
    expect(await writer.adapter.apply(del)).toEqual({ outcome: 'applied' });
    expect(h.sb.store.user('frank')).toBeUndefined();
    expect(await writer.adapter.apply(del)).toEqual({ outcome: 'already-in-state' });
    expect(h.sb.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('checks memberships first: a repeat writes nothing, a missing user is not-found', async () => {
    h = await bitbucket();
    const writer = await h.connect(policy(SEATS), { readOnly: false });
    const add = change({ kind: 'add-member', user: 'bob', group: 'developers' } as Partial<Change> &
      Pick<Change, 'kind' | 'user'>);
    expect(await writer.adapter.apply(add)).toEqual({ outcome: 'applied' });
    expect(await writer.adapter.apply(add)).toEqual({ outcome: 'already-in-state' });
    const remove = { ...add, kind: 'remove-member' } as Change;
    expect(await writer.adapter.apply(remove)).toEqual({ outcome: 'applied' });
    expect(await writer.adapter.apply(remove)).toEqual({ outcome: 'already-in-state' });
    expect(h.sb.requests.map((r) => r.path)).toEqual([
      '/rest/api/1.0/admin/users/add-groups',
      '/rest/api/1.0/admin/users/remove-group',
    ]);
    const ghost = { ...add, user: 'nobody' } as Change;
    expect(await writer.adapter.apply(ghost)).toEqual({
      outcome: 'skipped',
      class: 'not-found',
      error: 'user nobody no longer exists',
    });
    expect(await writer.adapter.apply({ ...remove, user: 'nobody' } as Change)).toEqual({
      outcome: 'already-in-state',
    });
  });

  it('does not call a 2xx that changed nothing applied (read back)', async () => {
    h = await bitbucket();
    const writer = await h.connect(policy(SEATS), { readOnly: false });
    h.sb.failNext('/rest/api/1.0/admin/users/add-groups', 200);
    const add = change({ kind: 'add-member', user: 'bob', group: 'developers' } as Partial<Change> &
      Pick<Change, 'kind' | 'user'>);
    expect(await writer.adapter.apply(add)).toEqual({
      outcome: 'failed',
      class: 'unconfirmed',
      error:
        'Bitbucket answered the request with success but bob is not a member of developers (read back after the write)',
    });
    expect(h.sb.store.memberNames('developers')).toEqual(['alice']);
  });

  it('says what remove-access did before a step failed', async () => {
    h = await bitbucket();
    const writer = await h.connect(policy(SEATS), { readOnly: false });
    h.sb.failNext('/rest/api/1.0/admin/permissions/users', 409, { method: 'DELETE' });
    const r = await writer.adapter.apply(
      change({
        kind: 'remove-access',
        user: 'bob',
        groups: ['stash-users'],
        direct: ['LICENSED_USER'],
      } as Partial<Change> & Pick<Change, 'kind' | 'user'>),
    );
    expect(r.outcome).toBe('failed');
    expect(r.class).toBe('refused');
    expect(r.error).toMatch(
      /^left stash-users; then: DELETE \/rest\/api\/1\.0\/admin\/permissions\/users: 409 Conflict/,
    );
    expect(h.seat('bob')).toEqual({ groups: [], direct: 'LICENSED_USER', licensed: true });
  });
});
