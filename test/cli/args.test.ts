// Issue 7 item 9: a CLI that behaves like one — --version, per-command --help with real examples, the
// closest command or option suggested, per-command option sets, and the policy file as the argument.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli.ts';
import { aup } from './capture.ts';

const ROOT = path.join(import.meta.dirname, '../..');
const CASE = path.join(ROOT, 'test/cases/staged-lifecycle');
const POLICY = path.join(CASE, 'policy.yml');
const SNAPSHOT = path.join(CASE, 'snapshot.json');
const NOW = ['--now', '2026-11-25T00:00:00Z'];
const COMMANDS = [
  'validate',
  'plan',
  'apply',
  'list',
  'export',
  'dump',
  'import-check',
  'sandbox',
  'demo',
  'version',
];

describe('aup --version', () => {
  it.each([['--version'], ['version'], ['-V']])('aup %s prints the package version', async (arg) => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await aup([arg]);
    expect(r).toEqual({ code: 0, stdout: `aup ${version}`, stderr: '' });
  });

  it('leaves aup sandbox --version to the Jira version it emulates', async () => {
    const r = await aup(['sandbox', '--version', '8.0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'aup: --version: Jira Data Center (jira-dc) versions are 9.12 | 10.3 | 11.3, got "8.0"',
    );
  });
});

describe('aup <command> --help', () => {
  it.each(COMMANDS)("aup %s --help prints that command's usage, options and an example", async (command) => {
    const r = await aup([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: aup ${command}\\b`));
    expect(r.stdout).toContain('-h, --help');
    expect(r.stdout).toMatch(/\nExamples?:\n {2}aup /);
    expect(await aup(['help', command])).toEqual(r);
  });

  it.each(COMMANDS)('every example in aup %s --help is a valid command line', async (command) => {
    const help = (await aup([command, '--help'])).stdout;
    const examples = help
      .split(/\nExamples?:\n/)[1]!
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(examples.length).toBeGreaterThan(0);
    for (const [aupWord, ...argv] of examples) {
      expect(aupWord).toBe('aup');
      // The example's options are checked against the command's own; --help stops before running it.
      const r = argv[0] === '--version' ? await aup(argv) : await aup([...argv, '--help']);
      expect({ example: argv.join(' '), code: r.code, stderr: r.stderr }).toEqual({
        example: argv.join(' '),
        code: 0,
        stderr: '',
      });
    }
  });

  it("the top-level help names every command and, in each command's line, each of its options", async () => {
    for (const command of COMMANDS) {
      const usage = (await aup([command, '--help'])).stdout;
      const synopsis = usage.split('\n\n')[0]!;
      expect(HELP).toContain(synopsis.replace(/^Usage: /, '  '));
      const options = [
        ...usage
          .split('\nOptions:\n')[1]!
          .split('\n\n')[0]!
          .matchAll(/--([a-z-]+)/g),
      ].map((m) => m[1]);
      for (const o of options.filter((x) => x !== 'help' && x !== 'policy'))
        expect({ command, option: o, inSynopsis: synopsis.includes(`--${o}`) }).toEqual({
          command,
          option: o,
          inSynopsis: true,
        });
    }
    expect((await aup(['--help'])).stdout).toBe(HELP);
  });
});

describe('mistakes get the closest name', () => {
  it('an unknown option suggests the closest option of the command', async () => {
    const r = await aup(['plan', POLICY, '--polcy', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'aup: unknown option --polcy; did you mean --policy? (aup plan --help lists its options)',
    );
    expect(r.stdout).toBe('');
    expect((await aup(['list', POLICY, '--inactive-day', '3'])).stderr).toContain(
      'unknown option --inactive-day; did you mean --inactive-days?',
    );
  });

  it('an unknown command suggests the closest command', async () => {
    const r = await aup(['plna', POLICY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('aup: unknown command "plna"; did you mean plan? run aup --help for the commands');
    expect((await aup(['exprot'])).stderr).toContain('did you mean export?');
    expect((await aup(['--verison'])).stderr).toBe('aup: unknown option --verison; did you mean --version?');
  });

  it("another command's option is refused naming the command", async () => {
    const r = await aup(['plan', POLICY, '--snapshot', SNAPSHOT, '--trigger', 'merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'aup: --trigger is not an option of aup plan (it is an option of aup apply, aup revert); run aup plan --help for its options',
    );
    expect((await aup(['export', POLICY, '--snapshot', SNAPSHOT])).stderr).toContain(
      '--snapshot is not an option of aup export (it is an option of aup plan, aup list, aup dump, aup import-check)',
    );
    expect((await aup(['validate', POLICY, '--yes'])).stderr).toContain(
      '--yes is not an option of aup validate',
    );
  });
});

describe('the policy file as the argument', () => {
  it('aup plan policy.yml plans exactly as aup plan --policy policy.yml', async () => {
    const flag = await aup(['plan', '--policy', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--format', 'json']);
    const arg = await aup(['plan', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--format', 'json']);
    expect(flag.code).toBe(0);
    expect(JSON.parse(flag.stdout).changes).toHaveLength(5);
    expect(arg).toEqual(flag);
  });

  it('aup list policy.yml lists exactly as aup list --policy policy.yml', async () => {
    const flag = await aup([
      'list',
      '--policy',
      POLICY,
      '--snapshot',
      SNAPSHOT,
      ...NOW,
      '--inactive-days',
      '90',
    ]);
    const arg = await aup(['list', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--inactive-days', '90']);
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('3 of 8 users');
    expect(arg).toEqual(flag);
  });

  it('refuses two policies, or one given twice, and names what is missing', async () => {
    expect((await aup(['list', POLICY, POLICY])).stderr).toBe(
      `aup: list takes one policy file, got 2: ${POLICY} ${POLICY}; run it once per policy`,
    );
    expect((await aup(['dump', '--policy', POLICY, POLICY])).stderr).toContain('the policy is given twice');
    // plan and apply take several policies (one instance each), each once.
    expect((await aup(['plan', POLICY, POLICY])).stderr).toBe(
      `aup: plan: the policy ${POLICY} is given twice (each instance is planned once); give it once`,
    );
    expect((await aup(['apply', '--policy', POLICY, POLICY])).stderr).toContain(
      `the policy ${POLICY} is given twice`,
    );
    expect((await aup(['plan', 'nowhere/*.yml'])).stderr).toMatch(
      /^aup: plan: no policy file matches "nowhere\/\*\.yml"/,
    );
    expect(
      (await aup(['plan', POLICY, 'policies/examples/crowd.yml', '--url', 'https://x.example.com'])).stderr,
    ).toContain('--url names one instance, and 2 policies were given');
    expect((await aup(['export'])).stderr).toBe(
      'aup: export needs a policy file: aup export <policy.yml> (or --policy FILE)',
    );
  });
});
