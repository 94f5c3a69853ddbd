// One policy repository for three instances of different platforms: Jira DC and a Cloud organisation (sandboxes)
// and a Confluence DC that does not answer (a closed port). A shared fragment (protections, an exception, limits)
// and per-instance credentials in variables of their own; ATLASSIAN_TOKEN holds a canary no instance may get.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { productFor, type SandboxHandle, startSandbox } from '../../src/sandbox/index.ts';

export const NOW = new Date('2026-11-25T00:00:00Z');
export const ROOT = path.join(import.meta.dirname, '../..');
export const CANARY = 'canary-default-token-never-used';

export interface Repo {
  dir: string;
  jira: SandboxHandle;
  cloud: SandboxHandle;
  /** The environment the runs get: each instance's own variables, and the canary defaults. */
  env: Record<string, string>;
  /** The policy files, relative to `dir`. */
  files: Record<string, string>;
  close(): Promise<void>;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const COMMON = `# yaml-language-server: $schema=../../schema/policy-fragment.v1.json
# Written once, merged into every instance's policy.
protect:
  users: [admin, svc-*, admin@example.com, it-automation@example.com]
exceptions:
  - { user: bob, until: 2027-01-31, reason: parental leave }
  - { user: bob@example.com, until: 2027-01-31, reason: parental leave }
limits: { max_changes: 500, max_deletions: 0, max_fraction: 0.5 } # a policy's own limits win
`;

/** A policy of the repository: the example of its platform, pointed at `url`, with the fragment and its variables. */
async function policyFrom(example: string, url: string, credentials: string): Promise<string> {
  const text = await readFile(path.join(ROOT, example), 'utf8');
  return text
    .replace(/^# yaml-language-server.*\n/, '')
    .replace(/^ {2}url: .*$/m, '')
    .replace(
      /^instance:\n/m,
      `extends: shared/common.yml\ninstance:\n  url: ${url}\n  credentials: ${credentials}\n`,
    )
    .replace(/^protect:\n( {2}.*\n)+/m, '')
    .replace(/^exceptions:\n( {2}.*\n)+/m, '');
}

export async function startRepo(): Promise<Repo> {
  const cloudProduct = productFor('cloud');
  const [jira, cloud, port, dir] = await Promise.all([
    startSandbox({
      platform: 'jira-dc',
      version: '10.3',
      scenario: productFor('jira-dc').demoScenario(NOW),
      now: NOW,
      clock: () => NOW.getTime(),
    }),
    startSandbox({
      platform: 'cloud',
      version: 'v2',
      scenario: cloudProduct.demoScenario(NOW),
      now: NOW,
      clock: () => NOW.getTime(),
      retireDeprecated: true,
    }),
    closedPort(),
    mkdtemp(path.join(tmpdir(), 'aup-multi-')),
  ]);
  const files: Record<string, string> = {
    'policies/shared/common.yml': COMMON,
    'policies/jira.yml': await policyFrom(
      'policies/example.yml',
      jira.url,
      '{ token: JIRA_PROD_TOKEN, app_name: JIRA_CROWD_APP, app_password: JIRA_CROWD_PASSWORD }',
    ),
    'policies/wiki.yml': await policyFrom(
      'policies/examples/confluence-dc.yml',
      `http://127.0.0.1:${port}`,
      '{ token: CONFLUENCE_TOKEN }',
    ),
    'policies/cloud.yml': await policyFrom(
      'policies/examples/cloud.yml',
      cloud.url,
      '{ token: CLOUD_ORG_KEY }',
    ),
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return {
    dir,
    jira,
    cloud,
    files,
    env: {
      JIRA_PROD_TOKEN: jira.credentials.token,
      JIRA_CROWD_APP: jira.credentials.appName,
      JIRA_CROWD_PASSWORD: jira.credentials.appPassword,
      CONFLUENCE_TOKEN: 'wiki-token-for-a-dead-instance',
      CLOUD_ORG_KEY: cloud.credentials.token,
      ATLASSIAN_TOKEN: CANARY,
      ATLASSIAN_URL: 'http://127.0.0.1:9/never',
    },
    close: async () => {
      await Promise.all([jira.close(), cloud.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
