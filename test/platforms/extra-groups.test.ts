// A pull-request run also reads the groups only the base branch's policy names, so the base plan is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/platforms/registry.ts';
import { harness, type Harness, NOW, policy } from './helpers.ts';

describe('Jira DC: extra groups', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('reads the members of extra groups besides those the policy names; unknown ones are left out', async () => {
    h = await harness('10.3');
    const resolved = policy(
      'version: 1\ninstance: { platform: jira-dc, access_groups: [jira-software-users] }\n',
    );
    const c = h.sb.credentials;
    const conn = await connect(resolved, {
      url: h.sb.url,
      credentials: { token: c.token },
      readOnly: true,
      clock: () => NOW,
      extraGroups: ['qa', 'no-such-group'],
    });
    try {
      const snapshot = await conn.adapter.snapshot();
      expect(snapshot.groups.map((g) => g.name)).toContain('qa');
      expect(snapshot.groups.map((g) => g.name)).not.toContain('no-such-group');
      const inQa = snapshot.users
        .filter((u) => u.groups.includes('qa'))
        .map((u) => u.name)
        .sort();
      expect(inQa).toEqual(h.sb.store.memberNames('qa', { nested: true }));
      expect(inQa.length).toBeGreaterThan(0);
    } finally {
      await conn.close();
    }
  });
});
