// The apply journal and how a later run closes what an earlier one left in flight (the crash trials in
// test/safety/crash.test.ts prove it end to end against every platform).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  interruptedRefusals,
  JournalFile,
  parseJournal,
  pendingIntents,
} from '../../src/executor/journal.ts';
import { changeInEffect, reconcilePending } from '../../src/executor/reconcile.ts';
import type { Change, Plan, Snapshot, User } from '../../src/model.ts';

const at = () => new Date('2026-11-25T00:00:00Z');
const rule = { type: 'user', index: 0, name: 'x' } as const;
const reason = { type: 'declared', state: 'inactive' } as const;
const deactivate = (user: string): Change => ({ kind: 'deactivate', user, userId: user, rule, reason });
const addTo = (user: string, group: string): Change => ({
  kind: 'add-member',
  user,
  userId: user,
  group,
  rule,
  reason,
});

function user(name: string, active: boolean, groups: string[] = []): User {
  return {
    id: name,
    name,
    email: null,
    displayName: name,
    active,
    lastActive: null,
    activityKnown: true,
    created: null,
    directory: { id: '1', name: 'Internal', readOnly: false },
    groups,
  };
}
const snapshot = (users: User[], groups: string[] = ['devs']): Snapshot => ({
  formatVersion: 2,
  platform: 'jira-dc',
  instance: 'x',
  takenAt: at().toISOString(),
  users,
  groups: groups.map((name) => ({ name, readOnly: false })),
});
const planOf = (changes: Change[]) => ({ changes }) as unknown as Plan;

describe('the journal', () => {
  it('leaves an intent without outcome pending, skips a torn last line, and closes on a later run', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'aup-journal-')), 'journal.jsonl');
    const j = new JournalFile(file, 'run-1', at);
    const a = j.intend(deactivate('bob'), 'bob@example.com');
    j.settle(a, { change: deactivate('bob'), outcome: 'applied', at: at().toISOString() });
    j.intend(deactivate('carl'), null);
    j.dispose();
    await writeFile(file, `${await readFile(file, 'utf8')}{"v":1,"type":"intent","run":"run-1","se`);
    const parsed = parseJournal(await readFile(file, 'utf8'));
    expect(parsed.skippedLines).toEqual([4]);
    expect(pendingIntents(parsed.entries).map((p) => [p.run, p.seq, p.change.user])).toEqual([
      ['run-1', 2, 'carl'],
    ]);
    const k = new JournalFile(file, 'run-2', at);
    k.close(pendingIntents(parsed.entries)[0]!, 'applied', 'found in effect');
    k.dispose();
    expect(pendingIntents(parseJournal(await readFile(file, 'utf8')).entries)).toEqual([]);
  });

  it('carries read-only refusals of a run that never ended, not of one that did', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'aup-journal-')), 'journal.jsonl');
    for (const [run, ends] of [
      ['killed', false],
      ['finished', true],
    ] as const) {
      const j = new JournalFile(file, run, at);
      const c = addTo(`${run}-alice`, 'ldap-staff');
      const seq = j.intend(c, null);
      j.settle(seq, {
        change: c,
        outcome: 'skipped',
        class: 'read-only',
        error: 'read-only directory: LDAP',
        at: at().toISOString(),
      });
      if (ends) j.end();
      j.dispose();
    }
    const refusals = interruptedRefusals(parseJournal(await readFile(file, 'utf8')).entries);
    expect(refusals.map((r) => [r.user, r.kind, r.group, r.message, r.runId])).toEqual([
      ['killed-alice', 'add-member', 'ldap-staff', 'read-only directory: LDAP', 'killed'],
    ]);
  });
});

describe('closing what a killed run left in flight', () => {
  it('tells in effect, not in effect and unknown from the snapshot alone', () => {
    const s = snapshot([user('bob', false, ['devs']), user('carl', true)]);
    expect(changeInEffect(deactivate('bob'), s)).toBe(true);
    expect(changeInEffect(deactivate('carl'), s)).toBe(false);
    expect(changeInEffect(deactivate('gone'), s)).toBeNull();
    expect(changeInEffect(addTo('bob', 'devs'), s)).toBe(true);
    expect(changeInEffect(addTo('carl', 'devs'), s)).toBe(false);
    expect(changeInEffect(addTo('bob', 'unread'), s)).toBeNull();
    expect(changeInEffect({ ...deactivate('gone'), kind: 'delete' }, s)).toBe(true);
  });

  it('audits a change found in effect as applied, leaves a still-planned one to this run, skips the rest', () => {
    const s = snapshot([user('bob', false), user('carl', true), user('dan', true)]);
    const intent = (c: Change, seq: number) => ({ run: 'run-1', seq, at: 'x', change: c, email: null });
    const closings = reconcilePending(
      [
        intent(deactivate('bob'), 1),
        intent(deactivate('carl'), 2),
        intent(deactivate('dan'), 3),
        intent(deactivate('eve'), 4),
      ],
      s,
      planOf([deactivate('carl')]),
      [{ runId: 'run-1', key: 'deactivate|eve|eve|' }],
      { runId: 'run-2', at: 't' },
    );
    expect(closings.map((c) => [c.intent.change.user, c.outcome, c.result?.outcome ?? null, c.note])).toEqual(
      [
        ['bob', 'applied', 'applied', 'in flight when run run-1 stopped; found in effect by run run-2'],
        [
          'carl',
          'retried',
          null,
          'in flight when run run-1 stopped; not in effect, applied again by run run-2',
        ],
        [
          'dan',
          'skipped',
          'skipped',
          'in flight when run run-1 stopped; not in effect and no longer planned (run run-2)',
        ],
        ['eve', 'retried', null, 'in flight when run run-1 stopped; already in its audit'],
      ],
    );
  });
});
