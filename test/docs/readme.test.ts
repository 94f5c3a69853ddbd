// The README stays a guide, and true to the code: its order (what it is, the two commands, the platforms, a
// quick start, then reference), the platform tables against the drivers' declarations, the generated parts
// (the Action's inputs and outputs, the CLI's commands, the shipped workflow, the comment excerpt) and the
// example comment in its own file.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionTables,
  cliCommandsTable,
  commentExcerpt,
  EXAMPLE_COMMENT,
  EXAMPLE_WORKFLOW,
  exampleCommentFile,
  exampleWorkflowBlock,
  readmeGenerated,
  replaceBetween,
} from '../../scripts/action-docs.ts';
import { type CommandExamples, consoleBlock } from '../../scripts/example-commands.ts';
import { COMMANDS } from '../../src/commands/spec.ts';
import { type ChangeKind, PLATFORMS } from '../../src/model.ts';
import { driverFor } from '../../src/platforms/registry.ts';

const readme = () => readFile('README.md', 'utf8');

/** The block between `<!-- name:start -->` and `<!-- name:end -->`. */
function block(text: string, name: string): string | undefined {
  return new RegExp(`<!-- ${name}:start -->\\n([^]*?)\\n<!-- ${name}:end -->`).exec(text)?.[1];
}

/** The rows of the first Markdown table after `marker`, as cells (header and separator dropped). */
function tableAfter(text: string, marker: string): string[][] {
  const from = text.indexOf(marker);
  expect(from, `the README has "${marker}"`).toBeGreaterThanOrEqual(0);
  const lines = text.slice(from).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows.slice(2);
}

describe('README: a guide', () => {
  it('opens with what it is, the two commands, the platforms, a quick start, then the reference', async () => {
    const text = await readme();
    const h2 = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(h2).toEqual([
      'Try it',
      'Platforms',
      'Quick start',
      'Reference',
      'Performance',
      'Design',
      'Development',
    ]);
    const tryIt = text.slice(text.indexOf('## Try it'), text.indexOf('## Platforms'));
    expect(tryIt).toContain('npm ci && npm run demo');
    expect(tryIt).toContain('npm ci && npm test');
    const quick = text.slice(text.indexOf('## Quick start'), text.indexOf('## Reference'));
    expect(quick).toContain('### With the GitHub Action');
    expect(quick).toContain('### With the CLI');
  });

  it('has one status row per platform: "works" exactly where a driver exists, "not yet" elsewhere', async () => {
    const rows = tableAfter(await readme(), '## Platforms');
    expect(rows.map((r) => r[0]).sort()).toEqual(PLATFORMS.map((p) => `\`${p}\``).sort());
    for (const p of PLATFORMS) {
      const status = rows.find((r) => r[0] === `\`${p}\``)![1]!;
      if (driverFor(p)) expect(status, p).toMatch(/^works: /);
      else expect(status, p).toMatch(/^not yet: plan from a snapshot file/);
    }
  });

  it("says what each action does per platform: 'not supported' exactly where the driver declares it", async () => {
    const text = await readme();
    const rows = tableAfter(text, 'What each policy action does, per platform');
    const header = text
      .slice(text.indexOf('| action |'))
      .split('\n')[0]!
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim().replace(/`/g, ''));
    expect(header.slice(1).sort()).toEqual([...PLATFORMS].sort());
    const kinds: Record<string, ChangeKind[]> = {
      '`deactivate`': ['deactivate'],
      '`activate`': ['activate'],
      '`delete`': ['delete'],
      '`remove-access`': ['remove-access'],
      'group members': ['add-member', 'remove-member'],
      'create user': ['create-user'],
    };
    expect(rows.map((r) => r[0])).toEqual(Object.keys(kinds));
    for (const row of rows) {
      header.slice(1).forEach((platform, i) => {
        const cell = row[i + 1]!;
        const driver = driverFor(platform as (typeof PLATFORMS)[number]);
        const where = `${row[0]} on ${platform}: ${cell}`;
        if (!driver) return expect(cell, where).toBe('not yet');
        const supported = kinds[row[0]!]!.map((k) => driver.capabilities[k].supported);
        expect(new Set(supported).size, `${row[0]} is one row on ${platform}`).toBe(1);
        if (supported[0]) expect(cell, where).not.toMatch(/^not (supported|yet)/);
        else expect(cell, where).toMatch(/^not supported: /);
      });
    }
  });

  it('says for Cloud where the organisation id is, which key type and which scopes', async () => {
    const text = await readme();
    const cloud = text.slice(
      text.indexOf('### Atlassian Cloud'),
      text.indexOf('### Plans, snapshots and files'),
    );
    expect(cloud).toContain('`instance.org` is the organisation id');
    expect(cloud).toContain('admin.atlassian.com/o/<org id>/overview');
    expect(cloud).toContain('**organisation API key**');
    expect(cloud).toContain('a key **without scopes**');
    for (const scope of ['read:directories:admin', 'read:groups:admin', 'read:accounts:admin'])
      expect(cloud).toContain(`\`${scope}\``);
    expect(cloud).toContain('`protect.users`');
  });
});

describe('README: generated from the code (npm run docs regenerates every part)', () => {
  it('has the inputs and outputs tables of action.yml', async () => {
    const text = await readme();
    const t = actionTables(await readFile('action.yml', 'utf8'));
    expect(block(text, 'inputs')).toBe(t.inputs);
    expect(block(text, 'outputs')).toBe(t.outputs);
  });

  it("lists every aup command with its usage, from the CLI's own definitions", async () => {
    const text = await readme();
    expect(block(text, 'cli-commands')).toBe(cliCommandsTable());
    for (const name of Object.keys(COMMANDS)) expect(text).toContain(`| \`aup ${name}`);
  });

  it('inlines the shipped example workflow, byte for byte', async () => {
    const text = await readme();
    const workflow = await readFile(EXAMPLE_WORKFLOW, 'utf8');
    const yaml = /<!-- example-workflow:start -->\n```yaml\n([^]*?)\n```\n<!-- example-workflow:end -->/.exec(
      text,
    );
    expect(yaml?.[1], 'the README has the example-workflow block').toBeDefined();
    expect(`${yaml?.[1]}\n`).toBe(workflow);
    expect(text).toBe(replaceBetween(text, 'example-workflow', exampleWorkflowBlock(workflow)));
  });

  it('documents every secret the example workflows name, in the quick start', async () => {
    const text = await readme();
    const quickStart = text.slice(
      text.indexOf('### With the GitHub Action'),
      text.indexOf('<!-- example-workflow:start -->'),
    );
    const named = new Set<string>();
    for (const file of [EXAMPLE_WORKFLOW, 'examples/drift-check.yml'])
      for (const m of (await readFile(file, 'utf8')).matchAll(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g))
        named.add(m[1]!);
    expect([...named].sort()).toEqual([
      'ATLASSIAN_APP_NAME',
      'ATLASSIAN_APP_PASSWORD',
      'ATLASSIAN_READ_TOKEN',
      'ATLASSIAN_TOKEN',
    ]);
    for (const name of named)
      expect(quickStart, name).toMatch(new RegExp(`^\\| [^|\\n]*\`${name}\`[^|\\n]*\\| `, 'm'));
  });
});

describe('the example comment and the example command outputs', () => {
  let comment: string;
  let commands: CommandExamples;
  beforeAll(async () => {
    const { demoComment } = await import('../../scripts/example-comment.ts');
    const { commandExamples } = await import('../../scripts/example-commands.ts');
    comment = await demoComment();
    commands = await commandExamples();
  });

  it('shows the real output of aup list, export, dump and import-check against the demo organisation', async () => {
    const text = await readme();
    const blocks: [string, string][] = [
      ['example-list', commands.list],
      ['example-export', commands.export],
      ['example-dump', commands.dump],
      ['example-import-check', commands.importCheck],
    ];
    for (const [name, output] of blocks) {
      expect(block(text, name), name).toBe(consoleBlock(output));
      expect(output, name).toMatch(/^\$ aup |^\$ cat /);
      expect(output, name).not.toMatch(/127\.0\.0\.1|aup-docs-/);
    }
    // The dumped policy shown is valid.
    const { parsePolicyText } = await import('../../src/policy/parse.ts');
    const dumped = commands.dump.split('\n').slice(1).join('\n');
    expect(parsePolicyText(dumped, 'dump.yml').diagnostics).toEqual([]);
  });

  it(`lives in ${EXAMPLE_COMMENT}: the real plan.md of the demo`, async () => {
    const { EXAMPLE_NOW } = await import('../../scripts/example-comment.ts');
    expect(await readFile(EXAMPLE_COMMENT, 'utf8')).toBe(exampleCommentFile(comment, EXAMPLE_NOW));
  });

  it('is linked from the README, which shows only its checked opening, not the whole comment', async () => {
    const text = await readme();
    expect(text).toContain(`](${EXAMPLE_COMMENT})`);
    expect(block(text, 'example-comment-excerpt')).toBe(commentExcerpt(comment));
    expect(text).not.toContain('<!-- example-comment:start -->');
    expect(text).not.toContain('<details><summary>');
    expect(commentExcerpt(comment).length).toBeLessThan(comment.length / 4);
  });

  it('the README as a whole is what npm run docs writes', async () => {
    const text = await readme();
    expect(text).toBe(
      readmeGenerated(text, {
        actionYml: await readFile('action.yml', 'utf8'),
        workflowYml: await readFile(EXAMPLE_WORKFLOW, 'utf8'),
        comment,
        commands,
      }),
    );
  });
});
