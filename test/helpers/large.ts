// A deterministic large snapshot for scale cases (20k users), generated rather than committed.
import type { Snapshot, User } from '../../src/model.ts';

export function largeSnapshot(n: number, now: Date): Snapshot {
  const users: User[] = [];
  const dir = { id: '1', name: 'Jira Internal Directory', readOnly: false };
  for (let i = 0; i < n; i++) {
    const name = `user${String(i).padStart(5, '0')}`;
    const days = 100 + (i % 300);
    users.push({
      id: `key-${name}`,
      name,
      email: `${name}@example.com`,
      displayName: `User ${i}`,
      active: true,
      lastActive: new Date(now.getTime() - days * 86_400_000).toISOString(),
      activityKnown: true,
      created: new Date(now.getTime() - 900 * 86_400_000).toISOString(),
      directory: dir,
      groups: ['jira-software-users'],
    });
  }
  return {
    formatVersion: 1,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt: now.toISOString(),
    users,
    groups: [{ name: 'jira-software-users', readOnly: false }],
  };
}
