// The README stays true to the code: the Action's inputs/outputs tables, the two commands, the example comment.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_WORKFLOW,
  exampleWorkflowBlock,
  readmeWithTables,
  replaceBetween,
} from '../../scripts/action-docs.ts';

describe('README', () => {
  it('has the inputs and outputs tables of action.yml (npm run docs regenerates them)', async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toBe(readmeWithTables(readme, await readFile('action.yml', 'utf8')));
  });

  it('shows the two commands a newcomer runs', async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});

describe('README quick start', () => {
  it('inlines the shipped example workflow, byte for byte (npm run docs regenerates it)', async () => {
    const readme = await readFile('README.md', 'utf8');
    const workflow = await readFile(EXAMPLE_WORKFLOW, 'utf8');
    const block =
      /<!-- example-workflow:start -->\n```yaml\n([^]*?)\n```\n<!-- example-workflow:end -->/.exec(readme);
    expect(block?.[1], 'the README has the example-workflow block').toBeDefined();
    expect(`${block?.[1]}\n`).toBe(workflow);
    expect(readme).toBe(replaceBetween(readme, 'example-workflow', exampleWorkflowBlock(workflow)));
  });

  it('documents every secret the example workflows name', async () => {
    const readme = await readFile('README.md', 'utf8');
    const quickStart = readme.slice(
      readme.indexOf('### Quick start'),
      readme.indexOf('<!-- example-workflow:start -->'),
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

describe('README example comment', () => {
  it('is the real plan.md of the demo (npm run docs regenerates it)', async () => {
    const { demoComment } = await import('../../scripts/example-comment.ts');
    const { replaceBetween } = await import('../../scripts/action-docs.ts');
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toBe(replaceBetween(readme, 'example-comment', await demoComment()));
  });
});
