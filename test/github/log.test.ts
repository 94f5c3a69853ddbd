// The Action's plain log lines cannot forge workflow commands: a value carried into a log line (a policy's
// group name, a username in a path, a server's message) never starts a line the runner would obey.
import { describe, expect, it } from 'vitest';
import { annotate } from '../../src/github/annotations.ts';
import { logInfo, safeLogText } from '../../src/github/log.ts';
import type { Diagnostic } from '../../src/policy/diagnostics.ts';
import { captureStdout } from './stdout.ts';

const stdout = captureStdout();

describe('the Action log', () => {
  it('flattens control characters and defuses lines that would start a workflow command', () => {
    expect(
      safeLogText('GET /x: 500\n::add-mask::secret\n  ::stop-commands::t\r\nok ##[error]old\u001b[2J'),
    ).toBe('GET /x: 500\n\u200b::add-mask::secret\n  \u200b::stop-commands::t\nok #\u200b#[error]old[2J');
    logInfo('first\n::error file=x::forged');
    expect(stdout.lines()).toEqual(['first', '\u200b::error file=x::forged']);
  });

  it('diagnostics beyond the annotation limit are logged without forging commands', () => {
    const d = (i: number): Diagnostic => ({
      severity: 'error',
      file: 'policies/p.yml',
      line: i,
      col: 1,
      field: `groups.x${i}`,
      message: `unknown group\n::warning::forged ${i}`,
    });
    annotate(
      Array.from({ length: 12 }, (_, i) => d(i + 1)),
      { workspace: '/ws' },
    );
    const forged = stdout.lines().filter((l) => /^\s*::warning::forged/.test(l));
    expect(forged).toEqual([]);
    expect(stdout.text()).toContain('forged 12');
  });
});
