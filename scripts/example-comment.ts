// The README's example comment: the real plan.md of the demo (sandbox + policies/example.yml) at a fixed date,
// with the sandbox's random local URL shown as https://jira.example.com. `npm run docs` regenerates it.
import { planOrThrow } from '../src/engine.ts';
import { loadPolicy } from '../src/policy/load.ts';
import { connect } from '../src/platforms/registry.ts';
import { activityOf } from '../src/report/activity.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { demoScenario } from '../src/sandbox/seed.ts';

export const EXAMPLE_NOW = new Date('2026-11-25T00:00:00Z');

export async function demoComment(now = EXAMPLE_NOW): Promise<string> {
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
    try {
      const snapshot = { ...(await conn.adapter.snapshot()), instance: 'https://jira.example.com' };
      const plan = planOrThrow(snapshot, resolved, now, conn.adapter.capabilities);
      return renderMarkdown(plan, {
        runUrl: 'https://github.com/example-org/atlassian-policies/actions/runs/1234567890',
        artifactName: 'atlassian-user-policy',
        activity: activityOf(snapshot, resolved.policy, now),
      });
    } finally {
      await conn.close();
    }
  } finally {
    await sandbox.close();
  }
}
