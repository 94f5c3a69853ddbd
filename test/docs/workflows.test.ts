// The workflows (the project's own and the examples users copy) pass actionlint.
import { describe, expect, it } from 'vitest';
import { lintWorkflows } from '../../scripts/actionlint.ts';

describe('workflows', () => {
  it('pass actionlint', async () => {
    expect(await lintWorkflows()).toEqual([]);
  });
});
