// Leaks and injection (issue 13). An instance whose people and groups carry Markdown, HTML, @mentions, code
// fences, spreadsheet formulas, terminal escapes and forged workflow commands, read with credentials that are
// recognisable canaries: the CLI (plan, apply, export, revert) and the Action (a pull request's plan, a
// merge's apply) run against it. The canaries appear in no file written, no line printed and no request the
// fake GitHub API received (the GitHub token only in its Authorization header); the hostile text is inert in
// every output: escaped in Markdown, neutralised in CSV, flattened on the terminal and in the Action's log.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../fakes/zip.ts';
import type { Scenario } from '../../src/sandbox/index.ts';
import { SOFTWARE_GROUP } from '../../src/sandbox/index.ts';
import {
  pullRequestEvent,
  pushEvent,
  runAction,
  startWorld,
  type RunOutcome,
  type World,
} from '../e2e/action-env.ts';
import { cliEnv, startCli, tempDir } from './helpers.ts';

const TOKEN = `AUPCANARY${'7f3c9a'.repeat(4)}TOKEN`;
const APP_PASSWORD = 'AUPCANARYAPPPASSWORD0d1e2f';
const GITHUB = 'ghs_test';
const NOW = '2026-11-25T00:00:00Z';
const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.parse(NOW) - d * DAY).toISOString();

const HOSTILE_DISPLAY =
  '@octocat <img src=x onerror=alert(1)> ```js fence``` [click](https://evil.example) **bold** \u001b[31mred\u001b[0m\n::error::forged ##[warning]old';
const HOSTILE_GROUP = '-2+3 <b>grp</b> @team';

function hostileScenario(): Scenario {
  return {
    groups: [{ name: HOSTILE_GROUP }],
    users: [
      {
        name: 'mallory',
        displayName: HOSTILE_DISPLAY,
        email: '=HYPERLINK("https://evil.example")@example.com',
        created: ago(900),
        lastLogin: ago(300),
        groups: [SOFTWARE_GROUP, HOSTILE_GROUP],
      },
      {
        name: '+SUM(1;2)',
        displayName: '=cmd|" /C calc"!A0',
        email: '@evil.example',
        created: ago(900),
        lastLogin: ago(300),
        groups: [SOFTWARE_GROUP],
      },
      {
        name: 'alice',
        displayName: 'Alice',
        email: 'alice@example.com',
        created: ago(900),
        lastLogin: ago(1),
        groups: [SOFTWARE_GROUP, HOSTILE_GROUP],
      },
    ],
  };
}

const POLICY = `version: 1
instance: { platform: jira-dc, access_groups: [${SOFTWARE_GROUP}] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
groups:
  "${HOSTILE_GROUP}": { mode: exact, members: [alice] }
limits: { max_fraction: 1 }
`;

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every text that left the tool, with where it went. */
const seen: { where: string; text: string }[] = [];
const add = (where: string, text: string) => seen.push({ where, text });

let world: World;
beforeAll(async () => {
  world = await startWorld(new Date(NOW), {
    scenario: hostileScenario(),
    credentials: { token: TOKEN, appPassword: APP_PASSWORD },
  });
});
afterAll(() => world.close());

async function collectAction(r: RunOutcome, runDir: string): Promise<void> {
  // `::add-mask::<secret>` is how a step tells the runner what to mask: the runner consumes those lines.
  add('action stdout', r.stdout.replace(/^::add-mask::.*$/gm, ''));
  add('action stderr', r.stderr);
  add('job summary', r.summary);
  add('outputs', JSON.stringify(r.outputs));
  for (const [name, bytes] of r.artifact ?? []) add(`artifact ${name}`, bytes.toString('utf8'));
  for (const f of await filesUnder(runDir)) add(f, await readFile(f, 'utf8'));
}

describe('leaks and injection', () => {
  it('runs the CLI and the Action against the hostile instance with canary credentials', async () => {
    // The Action: a pull request's plan (a sticky comment), then the merge's apply (an artifact).
    for (const [runId, event] of [
      ['101', pullRequestEvent({ number: 7, headSha: 'a'.repeat(40) })],
      ['301', pushEvent('c'.repeat(40))],
    ] as const) {
      const r = await runAction(world, {
        event,
        files: { 'policies/p.yml': POLICY },
        inputs: { 'atlassian-token': TOKEN },
        runId,
        artifactName: `run-${runId}`,
        source: true,
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      await collectAction(r, world.tmp);
    }
    // The CLI, as an admin runs it.
    const dir = await tempDir('aup-leaks-');
    await writeFile(path.join(dir, 'policy.yml'), POLICY);
    const env = {
      ...cliEnv(world.sandbox, {
        token: TOKEN,
        appName: world.sandbox.credentials.appName,
        appPassword: APP_PASSWORD,
      }),
    };
    const cli = async (...args: string[]) => {
      const r = await startCli(args, { cwd: dir, env }).done;
      add(`aup ${args[0]} stdout`, r.stdout);
      add(`aup ${args[0]} stderr`, r.stderr);
      return r;
    };
    const now = ['--now', NOW];
    expect((await cli('plan', 'policy.yml', '--out', 'plan', ...now)).code).toBe(0);
    expect((await cli('plan', 'policy.yml', '--format', 'markdown', ...now)).code).toBe(0);
    expect((await cli('export', 'policy.yml', '--out', 'export', ...now)).code).toBe(0);
    const applied = await cli('apply', 'policy.yml', '--plan', 'plan/plan.json', '--out', 'plan', ...now);
    expect(applied.code, applied.stderr).toBe(0);
    expect(
      (await cli('revert', 'policy.yml', '--audit', 'plan/audit.csv', '--out', 'revert', ...now)).code,
    ).toBe(0);
    // A dead token and a dead Basic password: the error names the variable, never the value.
    const dead = await startCli(['plan', 'policy.yml', ...now], {
      cwd: dir,
      env: { ...env, ATLASSIAN_TOKEN: `${TOKEN}x` },
    }).done;
    expect(dead.code).toBe(1);
    add('aup plan (dead token) stderr', dead.stderr);
    for (const f of await filesUnder(dir)) add(f, await readFile(f, 'utf8'));

    for (const c of world.github.comments) add(`comment ${c.id}`, c.body);
    for (const q of world.github.requests)
      add(`GitHub ${q.method} ${q.path}`, `${q.path} ${JSON.stringify(q.query)} ${JSON.stringify(q.body)}`);
    for (const a of world.artifacts.artifacts.values())
      if (a.body) for (const e of readZip(a.body)) add(`uploaded ${e.name}`, e.data.toString('utf8'));
    expect(seen.length).toBeGreaterThan(30);
  }, 120_000);

  it('no canary credential appears anywhere, and the GitHub token only in its header', () => {
    for (const { where, text } of seen) {
      expect(text.includes(TOKEN), `${where} holds the Atlassian token`).toBe(false);
      expect(text.includes(APP_PASSWORD), `${where} holds the application password`).toBe(false);
      expect(
        text.includes(Buffer.from(`${world.sandbox.credentials.appName}:${APP_PASSWORD}`).toString('base64')),
        where,
      ).toBe(false);
      expect(text.includes(GITHUB), `${where} holds the GitHub token`).toBe(false);
    }
    expect(world.github.requests.every((q) => q.token === null || q.token === GITHUB)).toBe(true);
  });

  it('hostile names are inert: Markdown escaped, CSV neutralised, no escape sequence or forged command printed', () => {
    const markdown = seen.filter(({ where }) => /comment|job summary|\.md$|markdown/.test(where));
    expect(markdown.length).toBeGreaterThan(3);
    // The hostile people are in them (escaped): the comment names them.
    expect(markdown.filter(({ text }) => text.includes('mallory')).length).toBeGreaterThanOrEqual(3);
    expect(world.github.comments.map((c) => c.body).join('\n')).toContain('@&#8203;octocat');
    for (const { where, text } of markdown) {
      expect(text, where).not.toMatch(/@octocat|<img|<b>grp|```js|\]\(https:\/\/evil|(^|\n)::error::forged/);
    }
    const csvs = seen.filter(({ where }) => /\.csv$/.test(where));
    expect(csvs.length).toBeGreaterThan(5);
    for (const { where, text } of csvs) {
      const rows = parse(text, { relax_column_count: true }) as string[][];
      for (const cell of rows.flat()) expect(/^[=+\-@\t\r]/.test(cell), `${where}: ${cell}`).toBe(false);
    }
    for (const { where, text } of seen.filter((s) => /stdout|stderr/.test(s.where))) {
      expect(text.includes(String.fromCharCode(27)), where).toBe(false);
      for (const line of text.split('\n')) {
        expect(/^\s*::(error|warning)::forged/.test(line), `${where}: ${line}`).toBe(false);
        expect(line.includes('##[warning]old'), `${where}: ${line}`).toBe(false);
      }
    }
  });
});
