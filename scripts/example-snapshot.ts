// Writes examples/snapshot.json: the demo organisation as `aup export` reads it from the sandbox on 2026-11-25,
// with the sandbox's local URL shown as https://jira.example.com. For trying `aup plan --snapshot` offline.
import { writeFile } from 'node:fs/promises';
import { connect } from '../src/platforms/registry.ts';
import { loadPolicy } from '../src/policy/load.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { demoScenario } from '../src/sandbox/seed.ts';
import { EXAMPLE_NOW } from './example-comment.ts';

const now = EXAMPLE_NOW;
const sandbox = await startSandbox({
  version: '10.3',
  scenario: demoScenario(now),
  now,
  clock: () => now.getTime(),
});
try {
  const resolved = await loadPolicy('policies/example.yml');
  const c = sandbox.credentials;
  const conn = await connect(resolved, {
    url: sandbox.url,
    credentials: { token: c.token, appName: c.appName, appPassword: c.appPassword },
    readOnly: true,
    clock: () => now,
  });
  const snapshot = { ...(await conn.adapter.snapshot()), instance: 'https://jira.example.com' };
  await conn.close();
  await writeFile('examples/snapshot.json', `${JSON.stringify(snapshot, null, 2)}\n`);
  console.log(`wrote examples/snapshot.json (${snapshot.users.length} users)`);
} finally {
  await sandbox.close();
}
