// The README stays true to the code: the Action's inputs/outputs tables, the two commands, the example comment.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readmeWithTables } from '../../scripts/action-docs.ts';

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

describe('README example comment', () => {
  it('is the real plan.md of the demo (npm run docs regenerates it)', async () => {
    const { demoComment } = await import('../../scripts/example-comment.ts');
    const { replaceBetween } = await import('../../scripts/action-docs.ts');
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toBe(replaceBetween(readme, 'example-comment', await demoComment()));
  });
});
