// Confluence DC writes over real HTTP, asserted on the sandbox's store: deletion is a long task followed to
// its end (finished, failed, never finishing); a read-only LDAP user's 204s are read back and reported as
// not carried out; changes follow the user key across renames; removals whose user or group is gone are
// already in state.
import { afterEach, describe, expect, it } from 'vitest';
import { applyLive } from '../../src/app/apply-run.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyPlan } from '../../src/executor/apply.ts';
import { CsvAuditFile } from '../../src/executor/audit.ts';
import { confluence, type ConfluenceHarness, confluencePolicy, NOW, policy } from './confluence-helpers.ts';
import { label, readAudit, run, tempDir, withoutLease } from './helpers.ts';

let h: ConfluenceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DELETE_IVAN = confluencePolicy(
  'users: [{ name: ivan, state: absent }]\nlimits: { max_deletions: 1, max_fraction: 1 }\n',
);

async function applyText(text: string) {
  const out = await tempDir();
  const applied = await applyLive(policy(text), await h!.connect(text, { readOnly: false }), run(out));
  return { ...applied, rows: await readAudit(applied.auditFile) };
}

const longTaskPolls = () => h!.sb.allRequests.filter((r) => r.path.startsWith('/rest/api/longtask/'));

describe('deleting a user: the long task', () => {
  it('is polled to its end: applied once the user is gone', async () => {
    h = await confluence('10.2', { deleteTasks: { polls: 3 } });
    const { report, rows } = await applyText(DELETE_IVAN);
    expect(report.results.map((r) => [label(r.change), r.outcome, r.error])).toEqual([
      ['delete ivan', 'applied', undefined],
    ]);
    expect(h.sb.store.user('ivan')).toBeUndefined();
    // The user goes only when the task finishes, on the third poll.
    expect(longTaskPolls().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.waits).toEqual([500, 1000]);
    expect(rows.map((r) => [r.kind, r.username, r.outcome])).toEqual([['delete', 'ivan', 'applied']]);
    expect(report.results[0]!.change.operation).toBe(
      'DELETE admin/user/{username}, then its long task to the end',
    );
  });

  it('that fails is failed with the task’s messages, and the user stays', async () => {
    h = await confluence('10.2', { deleteTasks: { failWith: 'Could not remove ivan: a space is locked' } });
    const { report } = await applyText(DELETE_IVAN);
    expect(report.results.map((r) => [label(r.change), r.outcome, r.error])).toEqual([
      [
        'delete ivan',
        'failed',
        expect.stringMatching(
          /^the deletion task [0-9a-f-]+ of ivan failed: Could not remove ivan: a space is locked$/,
        ),
      ],
    ]);
    expect(h.sb.store.user('ivan')).toBeDefined();
  });

  it('that never finishes is failed after a bounded wait, saying so, and planned again', async () => {
    h = await confluence('10.2', { deleteTasks: { hang: true } });
    const { report } = await applyText(DELETE_IVAN);
    expect(report.results.map((r) => [r.outcome, r.error])).toEqual([
      [
        'failed',
        expect.stringMatching(
          /^the deletion task [0-9a-f-]+ of ivan did not finish within \d+ s \(\d+ polls, last at 50%\); it may still finish: the next plan shows whether the user is gone$/,
        ),
      ],
    ]);
    expect(h.sb.store.user('ivan')).toBeDefined();
    // Backoff doubling from 0.5 s to 5 s, never more than two minutes in all.
    const waited = h.waits.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(120_000);
    expect(waited).toBeGreaterThan(100_000);
    expect(Math.max(...h.waits)).toBe(5_000);
    expect(longTaskPolls()).toHaveLength(h.waits.length + 1);
    const again = await readAndPlan(policy(DELETE_IVAN), await h.connect(DELETE_IVAN), NOW);
    expect(again.plan.changes.map(label)).toEqual(['delete ivan']);
  });
});

describe('a user of the read-only LDAP directory (carol)', () => {
  it('disable and membership changes answer 204 but are read back unchanged: skipped as read-only, not applied', async () => {
    h = await confluence('10.2');
    const text = confluencePolicy(`users: [{ name: carol, state: inactive }]
groups:
  ldap-staff: { mode: exact, members: [alice] }
  developers: { mode: additive, members: [carol] }
limits: { max_fraction: 1 }
`);
    const before = h.sb.store.toScenario().users.find((u) => u.name === 'carol');
    const { report, refusals } = await applyText(text);
    expect(report.results.map((r) => [label(r.change), r.outcome, r.class, r.error])).toEqual([
      [
        'add-member alice ldap-staff',
        'skipped',
        'read-only',
        'read-only directory: the instance accepted the request but the membership of alice in ldap-staff did not change (read back after the write)',
      ],
      [
        'add-member carol developers',
        'skipped',
        'read-only',
        'read-only directory: the instance accepted the request but the membership of carol in developers did not change (read back after the write)',
      ],
      [
        'remove-member carol ldap-staff',
        'skipped',
        'read-only',
        'read-only directory: the instance accepted the request but the membership of carol in ldap-staff did not change (read back after the write)',
      ],
      [
        'deactivate carol',
        'skipped',
        'read-only',
        'read-only directory: the instance accepted the request but the account of carol (still enabled) did not change (read back after the write)',
      ],
    ]);
    // Confluence did answer 204 to each write.
    expect(withoutLease(h.sb.requests).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PUT /rest/api/user/alice/group/ldap-staff 204',
      'PUT /rest/api/user/carol/group/developers 204',
      'DELETE /rest/api/user/carol/group/ldap-staff 204',
      'PUT /rest/api/admin/user/carol/disable 204',
    ]);
    expect(h.sb.store.toScenario().users.find((u) => u.name === 'carol')).toEqual(before);
    expect(refusals.map((r) => `${r.kind} ${r.user}`)).toHaveLength(4);
  });

  it('deletion answers 400 "User is not removable": skipped as read-only', async () => {
    h = await confluence('10.2');
    const { report } = await applyText(
      confluencePolicy(
        'users: [{ name: carol, state: absent }]\nlimits: { max_deletions: 1, max_fraction: 1 }\n',
      ),
    );
    expect(report.results.map((r) => [label(r.change), r.outcome, r.class, r.error])).toEqual([
      ['delete carol', 'skipped', 'read-only', 'read-only directory: User is not removable'],
    ]);
    expect(h.sb.store.user('carol')).toBeDefined();
  });
});

describe('writes against a moved instance', () => {
  async function reviewedThen(text: string, move: () => void) {
    const writer = await h!.connect(text, { readOnly: false });
    const { plan } = await readAndPlan(policy(text), writer, NOW);
    move();
    const audit = new CsvAuditFile(`${await tempDir()}/audit.csv`, {
      ...run('').context,
      platform: 'confluence-dc',
      instance: h!.sb.url,
    });
    return applyPlan(plan, writer.adapter, { audit, clock: () => NOW, concurrency: 1 });
  }

  it('follow the user key when the user was renamed after the plan', async () => {
    h = await confluence('10.2');
    const text = confluencePolicy(`users: [{ name: bob, state: inactive }]
groups:
  qa: { mode: additive, members: [bob] }
limits: { max_fraction: 1 }
`);
    const report = await reviewedThen(text, () => h!.sb.store.rename(h!.sb.store.user('bob')!, 'robert'));
    expect(report.results.map((r) => [label(r.change), r.outcome])).toEqual([
      ['add-member bob qa', 'applied'],
      ['deactivate bob', 'applied'],
    ]);
    const robert = h.sb.store.user('robert')!;
    expect(robert.active).toBe(false);
    expect(h.sb.store.isDirectMember('qa', robert)).toBe(true);
  });

  it('a removal whose group or user is gone since the plan is already in state', async () => {
    h = await confluence('10.2');
    const text = confluencePolicy(`inactivity: [{ name: seat, inactive_days: 60, action: remove-access }]
groups:
  qa: { mode: exact, members: [alice] }
limits: { max_fraction: 1 }
`);
    const report = await reviewedThen(text, () => {
      h!.sb.store.deleteGroup('qa');
      h!.sb.store.deleteUser(h!.sb.store.user('frank')!);
    });
    expect(report.results.map((r) => [label(r.change), r.outcome])).toEqual([
      ['remove-member henry qa', 'already-in-state'],
      ['remove-access bob', 'applied'],
      ['remove-access carol', 'skipped'],
      ['remove-access frank', 'already-in-state'],
      ['remove-access ivan', 'applied'],
    ]);
  });

  it('a deactivation of a user deleted since the plan is skipped as not found', async () => {
    h = await confluence('10.2');
    const text = confluencePolicy('users: [{ name: bob, state: inactive }]\nlimits: { max_fraction: 1 }\n');
    const report = await reviewedThen(text, () => h!.sb.store.deleteUser(h!.sb.store.user('bob')!));
    expect(report.results.map((r) => [label(r.change), r.outcome, r.class, r.error])).toEqual([
      ['deactivate bob', 'skipped', 'not-found', 'user bob no longer exists'],
    ]);
    expect(h.sb.requests).toEqual([]);
  });
});
