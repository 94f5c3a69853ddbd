// Read resources beyond users: the group picker (the only group listing Jira DC has), application roles,
// the deprecated group bean with users[a:b], nested groups in group/member, and application access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { call, get, NOW, type MemberPage } from './helpers.ts';

interface Picker {
  header: string;
  total: number;
  groups: { name: string; html: string; labels: { type: string }[] }[];
}
interface Role {
  key: string;
  groups: string[];
  userCount: number;
  numberOfSeats: number;
  remainingSeats: number;
}

describe('reads', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({
      version: '9.12',
      now: NOW,
      scenario: {
        groups: [
          { name: 'engineering', children: ['developers'] },
          { name: 'developers' },
          { name: 'dev-ops' },
        ],
        users: [
          { name: 'alice', groups: ['jira-software-users', 'developers'] },
          { name: 'bob', groups: ['jira-software-users', 'engineering'] },
          { name: 'carl', groups: ['jira-software-users', 'developers'] },
          { name: 'dora', active: false, groups: ['jira-software-users'] },
        ],
      },
    });
  });
  afterAll(() => sb.close());

  it('lists groups through groups/picker', async () => {
    const all = await get<Picker>(sb, '/rest/api/2/groups/picker?maxResults=1000');
    expect(all.body.total).toBe(sb.store.groups().length);
    expect(all.body.groups.map((g) => g.name)).toEqual(sb.store.groups().map((g) => g.name));
    const dev = await get<Picker>(sb, '/rest/api/2/groups/picker?query=dev&maxResults=1');
    expect(dev.body.header).toBe('Showing 1 of 2 matching groups');
    expect(dev.body.groups[0]?.html).toBe('<b>dev</b>-ops');
    const admin = all.body.groups.find((g) => g.name === 'jira-administrators');
    expect(admin?.labels.map((l) => l.type)).toContain('ADMIN');
  });

  it('counts seats per application role from its groups', async () => {
    const roles = await get<Role[]>(sb, '/rest/api/2/applicationrole');
    const software = roles.body.find((r) => r.key === 'jira-software')!;
    expect(software.groups).toEqual(['jira-software-users', 'jira-administrators']);
    expect(software.userCount).toBe(4); // alice, bob, carl and admin; dora is inactive
    expect(software.remainingSeats).toBe(software.numberOfSeats - 4);
    expect((await get(sb, '/rest/api/2/applicationrole/jira-software')).status).toBe(200);
    expect((await get(sb, '/rest/api/2/applicationrole/nope')).status).toBe(404);
  });

  it('includes members of nested groups in group/member', async () => {
    const page = await get<MemberPage>(sb, '/rest/api/2/group/member?groupname=engineering');
    expect(page.body.values.map((v) => v.name)).toEqual(['alice', 'bob', 'carl']);
    expect(sb.store.memberNames('engineering')).toEqual(['bob']);
  });

  it('pages the deprecated group bean with inclusive users[a:b] indexes', async () => {
    const res = await get<{
      users: { size: number; items: { name: string }[]; 'start-index': number; 'end-index': number };
    }>(sb, '/rest/api/2/group?groupname=jira-software-users&expand=users[1:2]');
    expect(res.body.users.size).toBe(4);
    expect(res.body.users.items.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(res.body.users['start-index']).toBe(1);
    expect(res.body.users['end-index']).toBe(2);
  });

  it('removes and grants application access through the role groups', async () => {
    const remove = await call(
      sb,
      'DELETE',
      '/rest/api/2/user/application?username=carl&applicationKey=jira-software',
    );
    expect(remove.status).toBe(200);
    expect(sb.store.groupsOf(sb.store.user('carl')!)).toEqual(['developers']);
    await call(sb, 'POST', '/rest/api/2/user/application?username=carl&applicationKey=jira-software');
    expect(sb.store.groupsOf(sb.store.user('carl')!)).toEqual(['developers', 'jira-software-users']);
  });
});
