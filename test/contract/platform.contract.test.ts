// The contract every platform keeps (issue 8), over real HTTP against its sandbox product: the snapshot is
// the seeded store as the platform's API can tell it; a staged lifecycle converges in one apply (refusals
// carried) and repeats are already-in-state; read-only users are skipped before apply where the platform
// knows, else refused and carried; unsupported changes are skipped with the platform's reason; the
// credentials' account and the last active admin are protected (from deactivation, or deletion where the
// platform cannot deactivate); 429 and 5xx are survived; a failed page
// fails the snapshot; dead credentials fail the run. One fixture module per platform (fixtures.ts).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLive, type ApplyRun } from '../../src/app/apply-run.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { parseRefusalsCsv } from '../../src/app/refusals.ts';
import { applyPlan } from '../../src/executor/apply.ts';
import { CsvAuditFile } from '../../src/executor/audit.ts';
import { AuthError, HttpError } from '../../src/http/index.ts';
import type { Change, Snapshot } from '../../src/model.ts';
import {
  type Connection,
  connect,
  type Credentials,
  driverFor,
  groupsNamedBy,
} from '../../src/platforms/registry.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import type { SandboxHandle, SandboxOptions, Scenario } from '../../src/sandbox/index.ts';
import type { ContractFixture, ExpectedUser } from './fixture.ts';
import { FIXTURES } from './fixtures.ts';
import { contractOrg, daysAgo, instanceOf, lifecyclePolicy, NOW, refOf } from './org.ts';

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'policy.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return { path: 'policy.yml', sha256: 'contract', policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

const label = (c: Pick<Change, 'kind' | 'user'> & { group?: string }) =>
  `${c.kind} ${c.user}${c.group ? ` ${c.group}` : ''}`;

function runAt(outDir: string, extra: Partial<ApplyRun> = {}): ApplyRun {
  return {
    now: NOW,
    clock: () => NOW,
    outDir,
    context: { runId: 'run-1', trigger: 'manual', actor: 'contract', commit: null, runUrl: null },
    ...extra,
  };
}

/** Requests that could have changed the instance: every non-GET one but the platform's reading requests. */
function writes(sb: SandboxHandle, f: ContractFixture) {
  return sb.requests.filter(
    (r) =>
      !f.readingRequests.some((x) =>
        typeof x === 'string' ? x === `${r.method} ${r.path}` : x.test(`${r.method} ${r.path}`),
      ),
  );
}

/** The store's users and memberships without login bookkeeping (the credentials' account logs in a lot). */
function storeState(sb: SandboxHandle) {
  return sb.store.toScenario().users.map(({ loginCount: _c, lastLogin: _l, ...u }) => u);
}

const cases = FIXTURES.flatMap((f) => f.versions.map((version) => ({ f, version })));

/**
 * How a policy takes an account away on the platform: deactivation where it exists, else deletion
 * (Bitbucket has no deactivation over REST).
 */
function takeAway(f: (typeof FIXTURES)[number]): {
  state: 'inactive' | 'absent';
  kind: 'deactivate' | 'delete';
} {
  return driverFor(f.platform)!.capabilities.deactivate.supported
    ? { state: 'inactive', kind: 'deactivate' }
    : { state: 'absent', kind: 'delete' };
}

describe.each(cases)('$f.platform $version: platform contract', ({ f, version }) => {
  const ref = refOf(f);
  const selfProtected = f.selfProtected ?? true;
  let sb: SandboxHandle | undefined;
  const conns: Connection[] = [];
  const waits: number[] = [];
  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.close()));
    await sb?.close();
    sb = undefined;
    waits.length = 0;
  });

  async function start(options: Partial<SandboxOptions> = {}, scenario: Scenario = contractOrg(f)) {
    sb = await f.start(version, scenario, options);
    return sb;
  }

  async function open(
    resolved: ResolvedPolicy,
    o: { readOnly?: boolean; credentials?: Credentials; sleep?: (ms: number) => Promise<void> } = {},
  ): Promise<Connection> {
    const conn = await connect(resolved, {
      url: sb!.url,
      credentials: o.credentials ?? f.credentials(sb!),
      readOnly: o.readOnly ?? true,
      clock: () => NOW,
      sleep:
        o.sleep ??
        (async (ms) => {
          waits.push(ms);
        }),
    });
    conns.push(conn);
    return conn;
  }

  function expectSnapshotIsTheStore(
    snapshot: Snapshot,
    resolved: ResolvedPolicy,
    o: { ignoreActivityOf?: string[] } = {},
  ): void {
    const store = sb!.store;
    const access = resolved.policy.instance.access_groups;
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const expected = store
      .users()
      .map((u) => f.expectedUser(sb!, u, access))
      .sort(byId);
    const actual = snapshot.users
      .map((u): ExpectedUser => {
        const { id, name, email, displayName, active, lastActive, activityKnown, created } = u;
        const e = expected.find((x) => x.id === id);
        return o.ignoreActivityOf?.includes(name) && e
          ? {
              id,
              name,
              email,
              displayName,
              active,
              lastActive: e.lastActive,
              activityKnown: e.activityKnown,
              created,
            }
          : { id, name, email, displayName, active, lastActive, activityKnown, created };
      })
      .sort(byId);
    expect(actual).toEqual(expected);
    // Every group the policy names that exists is read, with its members as the platform lists them.
    const named = groupsNamedBy(resolved).filter((g) => store.group(g));
    expect(snapshot.groups.map((g) => g.name.toLowerCase())).toEqual(
      expect.arrayContaining(named.map((g) => g.toLowerCase())),
    );
    for (const g of snapshot.groups) {
      const listed = snapshot.users.filter((u) => u.groups.includes(g.name)).map((u) => u.name);
      expect({ group: g.name, members: listed.sort() }).toEqual({
        group: g.name,
        members: f.members(store, g.name),
      });
    }
    const nameOf = new Map(snapshot.users.map((u) => [u.id, u.name]));
    expect(
      (snapshot.admins ?? []).map((a) => ({
        group: a.group,
        members: a.members.map((id) => nameOf.get(id)).sort(),
      })),
    ).toEqual(f.admins(store));
    expect(snapshot.self ?? null).toBe(selfProtected ? store.user(sb!.credentials.username)!.key : null);
    expect(snapshot.platform).toBe(f.platform);
    const known = f.readOnlyKnownBeforeApply;
    if (!known.users) {
      expect(snapshot.users.filter((u) => u.readOnly?.length || u.directory.readOnly)).toEqual([]);
    } else {
      expect(snapshot.users.find((u) => u.name === ref('carol'))?.readOnly?.length).toBeGreaterThan(0);
    }
    expect(snapshot.groups.filter((g) => g.readOnly).map((g) => g.name)).toEqual(
      known.groups ? ['ldap-staff'] : [],
    );
  }

  it('the snapshot equals the seeded store, read without a write across many small pages', async () => {
    await start({ maxPageSize: 2 });
    const resolved = policy(lifecyclePolicy(f));
    const state = storeState(sb!);
    const { snapshot } = await readAndPlan(resolved, await open(resolved), NOW);
    expectSnapshotIsTheStore(snapshot, resolved);
    expect(writes(sb!, f)).toEqual([]);
    expect(storeState(sb!)).toEqual(state);
  });

  it('a staged lifecycle converges in one apply, and the next plan (refusals carried) is empty', async () => {
    await start();
    const resolved = policy(lifecyclePolicy(f));
    const out = await mkdtemp(path.join(tmpdir(), 'aup-contract-'));
    const first = await applyLive(resolved, await open(resolved, { readOnly: false }), runAt(out));
    expect(first.plan.changes.length).toBeGreaterThan(3);
    expect(first.report.results.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(first.report.counts.applied).toBeGreaterThan(0);
    // Every planned change is audited.
    const audit = await readFile(path.join(out, 'audit.csv'), 'utf8');
    expect(audit.trim().split('\n')).toHaveLength(first.plan.changes.length + 1);

    const carried = parseRefusalsCsv(await readFile(first.refusalsFile, 'utf8'), 'refused.csv');
    const next = await readAndPlan(resolved, await open(resolved), NOW, { refusals: carried });
    expect(next.plan.changes.map(label)).toEqual([]);
    // What was applied is what the instance now holds.
    for (const r of first.report.results.filter((x) => x.outcome === 'applied')) {
      const c = r.change;
      const u = c.userId === null ? sb!.store.user(c.user) : sb!.store.userByKey(c.userId);
      if (c.kind === 'delete') expect(u).toBeUndefined();
      if (c.kind === 'deactivate' || c.kind === 'activate') expect(u?.active).toBe(c.kind === 'activate');
      if (c.kind === 'add-member') expect(sb!.store.isDirectMember(c.group, u!)).toBe(true);
      if (c.kind === 'remove-member') expect(sb!.store.isDirectMember(c.group, u!)).toBe(false);
      if (c.kind === 'remove-access')
        expect(c.groups.filter((g) => sb!.store.isDirectMember(g, u!))).toEqual([]);
    }
  });

  it('applying the same plan again: what was applied is already in state, nothing changes', async () => {
    await start();
    const resolved = policy(lifecyclePolicy(f));
    const writer = await open(resolved, { readOnly: false });
    const { plan, snapshot } = await readAndPlan(resolved, writer, NOW);
    const audit = new CsvAuditFile(
      path.join(await mkdtemp(path.join(tmpdir(), 'aup-contract-')), 'audit.csv'),
      {
        ...runAt('').context,
        platform: snapshot.platform,
        instance: snapshot.instance,
      },
    );
    const once = await applyPlan(plan, writer.adapter, { audit, clock: () => NOW });
    const after = storeState(sb!);
    const twice = await applyPlan(plan, writer.adapter, { audit, clock: () => NOW });
    expect(once.counts.applied).toBeGreaterThan(2);
    const outcome = (r: (typeof once.results)[number], again: boolean) =>
      `${label(r.change)}: ${again && r.outcome === 'applied' ? 'already-in-state' : r.outcome}${r.class ? ` (${r.class})` : ''}`;
    expect(twice.results.map((r) => outcome(r, false)).sort()).toEqual(
      once.results.map((r) => outcome(r, true)).sort(),
    );
    expect(storeState(sb!)).toEqual(after);
  });

  it('read-only users and groups are skipped before apply where the platform knows, else refused and carried', async () => {
    await start();
    const resolved = policy(lifecyclePolicy(f));
    const known = f.readOnlyKnownBeforeApply;
    const touchesLdap = (c: { user: string; group?: string }) =>
      c.user === ref('carol') || c.group === 'ldap-staff';
    const knownBefore = (c: { user: string; group?: string }) =>
      (known.users && c.user === ref('carol')) || (known.groups && c.group === 'ldap-staff');
    const { plan } = await readAndPlan(resolved, await open(resolved), NOW);
    // What the platform tells before apply is skipped in the plan; nothing else is.
    expect(plan.changes.filter(knownBefore)).toEqual([]);
    const before = plan.skipped.filter((s) => touchesLdap(s) && s.why === 'read-only-directory');
    expect(before.filter((s) => !knownBefore(s))).toEqual([]);
    if (known.users || known.groups) expect(before.length).toBeGreaterThan(0);
    // The rest is refused at apply, changes nothing, and is carried to the next plan.
    const ldap = plan.changes.filter(touchesLdap).map(label);
    if (!known.groups) expect(ldap).toContain(`add-member ${ref('alice')} ldap-staff`);
    const held = () => storeState(sb!).filter((u) => u.name === 'carol' || u.groups?.includes('ldap-staff'));
    const state = held();
    const out = await mkdtemp(path.join(tmpdir(), 'aup-contract-'));
    const applied = await applyLive(resolved, await open(resolved, { readOnly: false }), runAt(out));
    const refused = applied.report.results.filter((r) => r.class === 'read-only');
    expect(refused.map((r) => [label(r.change), r.outcome])).toEqual(ldap.map((l) => [l, 'skipped']));
    expect(held()).toEqual(state);
    const carried = parseRefusalsCsv(await readFile(applied.refusalsFile, 'utf8'), 'refused.csv');
    expect(carried.map((r) => `${r.kind} ${r.user}${r.group ? ` ${r.group}` : ''}`).sort()).toEqual(
      [...ldap].sort(),
    );
    const next = await readAndPlan(resolved, await open(resolved), NOW, { refusals: carried });
    expect(
      next.plan.skipped
        .filter((s) => s.why === 'read-only-directory')
        .map((s) => label(s))
        .sort(),
    ).toEqual([...ldap, ...before.map((s) => label(s))].sort());
  });

  it('changes the platform cannot make are skipped as unsupported with its reason, the rest carry their operation', async () => {
    await start();
    const resolved = policy(lifecyclePolicy(f));
    const conn = await open(resolved);
    const { plan } = await readAndPlan(resolved, conn, NOW);
    const caps = conn.adapter.capabilities;
    for (const c of plan.changes) {
      const cap = caps[c.kind];
      expect({ change: label(c), operation: c.operation }).toEqual({
        change: label(c),
        operation: cap.supported ? cap.operation : 'unsupported',
      });
    }
    const unsupported = plan.skipped.filter((s) => s.why === 'unsupported');
    for (const s of unsupported) {
      const cap = caps[s.kind];
      expect({ kind: s.kind, detail: s.detail }).toEqual({
        kind: s.kind,
        detail: cap.supported ? '(supported)' : cap.reason,
      });
    }
    // judy does not exist: created where the platform can, else shown as unsupported.
    const judy = caps['create-user'].supported
      ? plan.changes.filter((c) => c.user === ref('judy'))
      : unsupported.filter((s) => s.user === ref('judy'));
    expect(judy.map((c) => c.kind)).toEqual(['create-user']);
  });

  it('the credentials’ own account is never touched', async () => {
    await start();
    const away = takeAway(f);
    // Credentials of no account (an organisation API key): the automation's account is protected by the
    // policy, as the platform's README says.
    const own = ref(sb!.credentials.username);
    const resolved = policy(`version: 1
${instanceOf(f)}
${selfProtected ? '' : `protect: { users: [${own}] }`}
users: [{ name: ${own}, state: ${away.state} }, { name: ${ref('bob')}, state: ${away.state} }]
limits: { max_fraction: 1, max_deletions: 5 }
`);
    const { plan, snapshot } = await readAndPlan(resolved, await open(resolved), NOW);
    expect(snapshot.self ?? null).toBe(selfProtected ? sb!.store.user(sb!.credentials.username)!.key : null);
    expect(plan.changes.map(label)).toEqual([`${away.kind} ${ref('bob')}`]);
    expect(plan.skipped).toContainEqual(
      expect.objectContaining({
        user: own,
        kind: away.kind,
        why: 'protected',
        detail: selfProtected ? 'the account behind the credentials' : 'listed in protect.users',
      }),
    );
  });

  it('the last active administrator of an admin set is never taken away', async () => {
    const base = contractOrg(f);
    const {
      scenario,
      group,
      set: expected,
    } = f.lastAdmin({
      ...base,
      users: [
        ...base.users,
        {
          name: 'root',
          displayName: 'Root Admin',
          created: daysAgo(900),
          lastLogin: daysAgo(200),
          groups: [f.accessGroup],
        },
      ],
    });
    scenario.users.find((u) => u.name === 'root')!.groups!.push(group);
    await start({}, scenario);
    const away = takeAway(f);
    const resolved = policy(`version: 1
${instanceOf(f, `access_groups: [${f.accessGroup}]`)}
users: [{ name: ${ref('root')}, state: ${away.state} }, { name: ${ref('bob')}, state: ${away.state} }]
limits: { max_fraction: 1, max_deletions: 5 }
`);
    const { plan, snapshot } = await readAndPlan(resolved, await open(resolved), NOW);
    const which = expected ?? { group, label: `group ${group}` };
    const set = snapshot.admins?.find((a) => a.label === which.label);
    expect(set?.group).toBe(which.group);
    expect(set?.members).toEqual([sb!.store.user('root')!.key]);
    expect(plan.changes.map(label)).toEqual([`${away.kind} ${ref('bob')}`]);
    expect(plan.skipped).toContainEqual(
      expect.objectContaining({
        user: ref('root'),
        kind: away.kind,
        why: 'protected',
        detail: `last active member of admin ${which.label}`,
      }),
    );
  });

  it('429s with Retry-After are waited out: the snapshot equals the store and the lifecycle converges', async () => {
    let t = NOW.getTime();
    const sleep = async (ms: number) => {
      waits.push(ms);
      t += ms;
    };
    await start({
      maxPageSize: 3,
      clock: () => t,
      rateLimit: { capacity: 2, fillRate: 1, intervalSeconds: 3 },
    });
    const resolved = policy(lifecyclePolicy(f));
    const reader = await open(resolved, { sleep });
    const { snapshot } = await readAndPlan(resolved, reader, NOW);
    // The credentials' account logs in with every request, so its login time moved while it was read.
    expectSnapshotIsTheStore(snapshot, resolved, { ignoreActivityOf: [sb!.credentials.username] });
    const throttled = sb!.allRequests.filter((r) => r.status === 429).length;
    expect(throttled).toBeGreaterThan(2);
    expect(reader.clients.reduce((a, c) => a + c.stats().throttled, 0)).toBe(throttled);

    const out = await mkdtemp(path.join(tmpdir(), 'aup-contract-'));
    const applied = await applyLive(resolved, await open(resolved, { readOnly: false, sleep }), runAt(out));
    expect(applied.report.counts.failed).toBe(0);
    const carried = parseRefusalsCsv(await readFile(applied.refusalsFile, 'utf8'), 'refused.csv');
    const next = await readAndPlan(resolved, await open(resolved, { sleep }), NOW, { refusals: carried });
    expect(next.plan.changes.map(label)).toEqual([]);
  });

  it('5xx answers and reset connections are retried: the snapshot still equals the store', async () => {
    await start({ maxPageSize: 2, faults: { seed: 7, errorRate: 0.1, resetRate: 0.03 } });
    const resolved = policy(lifecyclePolicy(f));
    const conn = await open(resolved);
    const { snapshot } = await readAndPlan(resolved, conn, NOW);
    const faulted = sb!.allRequests.filter((r) => r.status >= 500 || r.status === 0).length;
    expect(faulted).toBeGreaterThan(0);
    expect(conn.clients.reduce((a, c) => a + c.stats().retries + c.stats().throttled, 0)).toBe(faulted);
    expectSnapshotIsTheStore(snapshot, resolved);
  });

  it('a page that keeps failing fails the snapshot: no plan, never a partial instance', async () => {
    for (const failing of f.pagedReads(version)) {
      await start({ maxPageSize: 2 });
      sb!.failNext(failing, 500, { times: 10, skip: 1 });
      const resolved = policy(lifecyclePolicy(f));
      let planned = false;
      const read = readAndPlan(resolved, await open(resolved), NOW).then(() => (planned = true));
      await expect(read, failing).rejects.toThrow(HttpError);
      await expect(read, failing).rejects.toThrow(/: 500 Internal Server Error/);
      expect(planned).toBe(false);
      expect(sb!.allRequests.at(-1)?.status, failing).toBe(500);
      expect(writes(sb!, f)).toEqual([]);
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await sb!.close();
      sb = undefined;
    }
  });

  it('dead credentials fail the run instead of reading as an empty instance', async () => {
    await start();
    const resolved = policy(lifecyclePolicy(f));
    for (const dead of f.deadCredentials(sb!)) {
      const read = readAndPlan(resolved, await open(resolved, { credentials: dead.credentials }), NOW);
      await expect(read, dead.label).rejects.toThrow(AuthError);
    }
    expect(writes(sb!, f)).toEqual([]);
  });
});
