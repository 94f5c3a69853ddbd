// A large snapshot file written as it is generated (no whole text in memory): N users, G groups and about
// `perUser` memberships per user; one user in ten inactive for 60 days to two years, so a staged policy changes
// about a tenth of the instance (100,000 changes for 1M users).
// Deterministic; used by the plan scenario of `npm run bench` and by `node bench/scale-snapshot.ts N FILE`.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ScaleShape {
  users: number;
  groups: number;
  /** Memberships per user on average (5M memberships for 1M users = 5). */
  perUser: number;
}

export const NOW = new Date('2026-11-25T00:00:00Z');
const DAY = 86_400_000;

export function groupName(g: number): string {
  return g === 0
    ? 'jira-software-users'
    : g === 1
      ? 'jira-administrators'
      : `team-${String(g).padStart(3, '0')}`;
}

/** The groups of user i: the access group, then perUser−1 more picked by a fixed stride. */
function groupsOf(i: number, shape: ScaleShape): string[] {
  const out = [groupName(0)];
  if (i % 5000 === 0) out.push(groupName(1));
  for (let k = 1; k < shape.perUser; k++) out.push(groupName(2 + ((i * 7 + k * 31) % (shape.groups - 2))));
  return out;
}

export async function writeScaleSnapshot(file: string, shape: ScaleShape): Promise<number> {
  const out = createWriteStream(file);
  let memberships = 0;
  let buf = '';
  const flush = async () => {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  };
  buf += `{\n  "formatVersion": 2,\n  "platform": "jira-dc",\n  "instance": "https://jira.example.com",\n  "version": "10.3.0",\n  "takenAt": "${NOW.toISOString()}",\n  "self": "key-admin",\n  "adminGroups": ["jira-administrators"],\n  "directories": null,\n  "activity": { "source": "embedded Crowd login.lastLoginMillis", "available": true },\n  "users": [\n`;
  for (let i = 0; i < shape.users; i++) {
    const name = `user${String(i).padStart(7, '0')}`;
    // Nine in ten used the product in the last 59 days; the tenth spread over two years (60–729 days).
    const days = i % 10 === 9 ? 60 + ((i * 37) % 670) : (i * 13) % 60;
    const never = i % 97 === 0;
    const groups = groupsOf(i, shape);
    memberships += groups.length;
    const user = {
      id: `key-${name}`,
      name,
      email: `${name}@example.com`,
      displayName: `User ${i}`,
      active: i % 11 !== 0,
      lastActive: never ? null : new Date(NOW.getTime() - days * DAY).toISOString(),
      activityKnown: true,
      created: new Date(NOW.getTime() - 900 * DAY).toISOString(),
      directory: { id: '1', name: 'Jira Internal Directory', readOnly: false },
      groups,
    };
    buf += `    ${JSON.stringify(user)}${i === shape.users - 1 ? '' : ','}\n`;
    if (buf.length > 1 << 20) await flush();
  }
  buf += '  ],\n  "groups": [\n';
  for (let g = 0; g < shape.groups; g++)
    buf += `    ${JSON.stringify({ name: groupName(g), readOnly: false })}${g === shape.groups - 1 ? '' : ','}\n`;
  buf += '  ]\n}\n';
  await flush();
  out.end();
  await once(out, 'finish');
  return memberships;
}

/** The staged lifecycle policy the plan scenario runs (every rule has users to act on). */
export const SCALE_POLICY = `version: 1
instance: { platform: jira-dc, url: https://jira.example.com, access_groups: [jira-software-users] }
protect: { users: [svc-*], groups: [jira-administrators] }
inactivity:
  - { name: purge, inactive_days: 600, action: delete, exclude: { emails: ["*@partner.example"] } }
  - { name: seat, inactive_days: 60, action: remove-access, select: { groups: [jira-software-users] } }
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
groups:
  team-002: { mode: exact, members: [user0000002, user0000003] }
  team-003: { mode: additive, members: [user0000004] }
limits: { max_changes: 100000000, max_deletions: 100000000, max_deactivations: 100000000, max_removals: 100000000, max_fraction: 1 }
report: { upcoming_days: 14 }
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const file = process.argv[3] ?? `snapshot-${n}.json`;
  const m = await writeScaleSnapshot(file, { users: n, groups: 200, perUser: 5 });
  console.log(`${file}: ${n} users, 200 groups, ${m} memberships`);
}
