// The streamed snapshot reader is an optimisation only: for any file it gives what the careful reader gives, or
// nothing (and the careful reader then reads the file). Checked on a snapshot using every optional field, in
// compact and indented layouts, cut into chunks as small as 7 bytes, and on invalid variants.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_KINDS, type Snapshot } from '../../src/model.ts';
import { loadSnapshot, parseSnapshot } from '../../src/snapshot/load.ts';
import { snapshotJsonChunks } from '../../src/snapshot/json.ts';
import { streamSnapshot } from '../../src/snapshot/stream.ts';
import { ISO_DATETIME } from '../../src/snapshot/user-check.ts';

const FULL: Snapshot = {
  formatVersion: 2,
  platform: 'cloud',
  instance: 'org-1',
  version: 'v2',
  takenAt: '2026-11-25T00:00:00.000Z',
  self: 'acc-0',
  admins: [{ label: 'role atlassian/org-admin', group: null, members: ['acc-0'] }],
  allGroups: ['a', 'b'],
  groupCount: 2,
  directories: ['managed'],
  capabilities: Object.fromEntries(
    CHANGE_KINDS.map((k) => [
      k,
      k === 'delete' ? { supported: false, reason: 'no "delete" {here}' } : { supported: true, operation: k },
    ]),
  ) as Snapshot['capabilities'],
  activity: { source: 'users/search', available: true },
  users: [
    {
      id: 'acc-1',
      name: 'ann@example.com',
      aliases: ['acc-1'],
      email: 'ann@example.com',
      displayName: 'Ann "the \\ {boss}" [x], é',
      active: true,
      lastActive: '2026-01-01T10:00:00+02:00',
      activityKnown: true,
      products: [{ product: 'jira-software', lastActive: null }],
      created: null,
      directory: { id: 'd1', name: 'managed', readOnly: false },
      groups: ['a', 'b'],
      access: { groups: ['a'], direct: ['atlassian/user'] },
      readOnly: [
        { kinds: ['add-member'], groups: ['b'], reason: 'synced' },
        { kinds: ['delete'], reason: 'r' },
      ],
      notes: [{ kinds: ['deactivate'], text: 'also disables AD' }],
      service: false,
    },
    {
      id: 'acc-2',
      name: 'bob',
      email: null,
      displayName: '',
      active: false,
      lastActive: null,
      activityKnown: false,
      created: '2024-02-29T00:00:00Z',
      directory: { id: 'd1', name: 'managed', readOnly: false },
      groups: [],
    },
  ],
  groups: [
    { name: 'a', readOnly: false, grants: ['jira-software'] },
    { name: 'b', readOnly: true, readOnlyReason: 'idp' },
  ],
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aup-stream-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
async function both(text: string, chunk = 7): Promise<{ careful: string; streamed: string | null }> {
  const file = path.join(dir, `s${n++}.json`);
  await writeFile(file, text);
  let careful: string;
  try {
    careful = JSON.stringify(parseSnapshot(text, file));
  } catch (e) {
    careful = `error: ${(e as Error).message}`;
  }
  const s = await streamSnapshot(file, chunk);
  return { careful, streamed: s === null ? null : JSON.stringify(s) };
}

describe('streamSnapshot', () => {
  it('the zod pattern for ISO datetimes is the one the fast check uses', () => {
    const pattern = (z.iso.datetime({ offset: true }) as unknown as { _zod: { def: { pattern: RegExp } } })
      ._zod.def.pattern;
    expect(ISO_DATETIME.source).toBe(pattern.source);
  });

  it.each([
    ['indented', [...snapshotJsonChunks(FULL)].join('')],
    ['compact', JSON.stringify(FULL)],
    ['keys in another order', JSON.stringify(Object.fromEntries(Object.entries(FULL).reverse()))],
  ])('reads a %s file as the careful reader does, whatever the chunk size', async (_name, text) => {
    for (const chunk of [7, 64, 1 << 20]) {
      const { careful, streamed } = await both(text, chunk);
      expect(careful).not.toMatch(/^error/);
      expect(streamed).toBe(careful);
    }
  });

  const user = JSON.stringify(FULL.users[1]);
  const withUser = (u: string) =>
    JSON.stringify({ ...FULL, users: [] }).replace('"users":[]', `"users":[${u}]`);
  it.each([
    ['an unknown user key', withUser(user.replace('"groups"', '"extra":1,"groups"'))],
    ['a date without an offset', withUser(user.replace('2024-02-29T00:00:00Z', '2024-02-29T00:00:00'))],
    ['a 29 February of a common year', withUser(user.replace('2024-02-29', '2023-02-29'))],
    ['an empty id', withUser(user.replace('"acc-2"', '""'))],
    ['a number for a name', withUser(user.replace('"bob"', '7'))],
    ['a group that is not a string', withUser(user.replace('"groups":[]', '"groups":[1]'))],
    [
      'an unknown change kind in a mark',
      withUser(user.replace('"groups":[]', '"groups":[],"readOnly":[{"kinds":["x"],"reason":"r"}]')),
    ],
    ['a trailing comma', withUser(`${user},`)],
    ['a missing comma', withUser(`${user} ${user.replace('acc-2', 'acc-3')}`)],
    ['a user that is not an object', withUser('"bob"')],
    ['a number among users', withUser(`${user},1`)],
    [
      'two users keys',
      JSON.stringify(FULL).replace('"groups":[{"name":"a"', `"users":[${user}],"groups":[{"name":"a"`),
    ],
    ['users that are not an array', JSON.stringify({ ...FULL, users: {} })],
    ['no users', JSON.stringify({ ...FULL, users: undefined })],
    ['an array', `[${JSON.stringify(FULL)}]`],
    ['trailing text', `${JSON.stringify(FULL)} x`],
    ['a second object', `${JSON.stringify(FULL)} {}`],
    ['a cut file', JSON.stringify(FULL).slice(0, -3)],
    ['an escaped key', JSON.stringify(FULL).replace('"users"', '"us\\u0065rs"')],
    ['a bad top-level field', JSON.stringify({ ...FULL, platform: 'nope' })],
    ['a byte order mark', `\ufeff${JSON.stringify(FULL)}`],
  ])('gives nothing for %s, or what the careful reader gives', async (_name, text) => {
    const { careful, streamed } = await both(text);
    if (streamed !== null) expect(streamed).toBe(careful);
    if (careful.startsWith('error')) expect(streamed).toBeNull();
  });

  it('keeps the careful reader’s errors: a duplicate id, a located schema error', async () => {
    const dup = path.join(dir, 'dup.json');
    await writeFile(dup, JSON.stringify({ ...FULL, users: [FULL.users[1], FULL.users[1]] }));
    await expect(loadSnapshot(dup)).rejects.toThrow(/duplicate user id "acc-2"/);
    const bad = path.join(dir, 'bad.json');
    await writeFile(
      bad,
      [...snapshotJsonChunks({ ...FULL, users: [{ ...FULL.users[1]!, email: 3 as unknown as null }] })].join(
        '',
      ),
    );
    await expect(loadSnapshot(bad)).rejects.toThrow(/bad\.json:\d+:\d+/);
    await expect(loadSnapshot(path.join(dir, 'missing.json'))).rejects.toThrow(
      /reading the snapshot: ENOENT/,
    );
  });

  it('shares the strings of groups and directories between users', async () => {
    const file = path.join(dir, 'shared.json');
    await writeFile(
      file,
      JSON.stringify({ ...FULL, users: [FULL.users[0], { ...FULL.users[0], id: 'acc-9' }] }),
    );
    const s = (await streamSnapshot(file))!;
    expect(s.users[0]!.directory).toBe(s.users[1]!.directory);
    expect(s.users[0]!.groups).toEqual(s.users[1]!.groups);
  });
});
