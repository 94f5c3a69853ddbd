// The example comment (docs/example-comment.md, excerpted in the README): the real plan.md of the demo (sandbox +
// policies/example.yml) at a fixed date, with the sandbox's random local URL shown as https://jira.example.com.
// `npm run docs` regenerates it.
import { planOrThrow } from '../src/app/plan-run.ts';
import type { Snapshot } from '../src/model.ts';
import { connect } from '../src/platforms/registry.ts';
import type { Capabilities } from '../src/model.ts';
import { loadPolicy } from '../src/policy/load.ts';
import type { ResolvedPolicy } from '../src/policy/resolved.ts';
import { activityOf } from '../src/report/activity.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { demoScenario } from '../src/sandbox/seed.ts';

export const EXAMPLE_NOW = new Date('2026-11-25T00:00:00Z');

/** The demo organisation as the Jira DC adapter reads it from the sandbox (10.3) on `now`. */
export async function demoSnapshot(
  now = EXAMPLE_NOW,
): Promise<{ snapshot: Snapshot; resolved: ResolvedPolicy; capabilities: Capabilities }> {
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
      return { snapshot, resolved, capabilities: conn.adapter.capabilities };
    } finally {
      await conn.close();
    }
  } finally {
    await sandbox.close();
  }
}

export async function demoComment(now = EXAMPLE_NOW): Promise<string> {
  const { snapshot, resolved, capabilities } = await demoSnapshot(now);
  const plan = planOrThrow(snapshot, resolved, now, { capabilities });
  return renderMarkdown(plan, {
    runUrl: 'https://github.com/example-org/atlassian-policies/actions/runs/1234567890',
    artifactName: 'atlassian-user-policy',
    activity: activityOf(snapshot, resolved.policy, now),
  });
}
