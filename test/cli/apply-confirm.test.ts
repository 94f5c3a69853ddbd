// Issue 7 item 3: `aup apply` without a reviewed plan does not act at once. On a terminal it shows the plan
// and asks (only "yes" applies); without one it refuses unless --yes or --plan is given. Nothing is written
// to the instance before the answer: the sandbox records every non-GET request it receives.
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/commands/plan.ts';
import { harness, type Harness, LIFECYCLE, NOW, tempDir } from '../platforms/helpers.ts';
import { aup } from './capture.ts';

let h: Harness;
let dir: string;
let file: string;
const now = ['--now', NOW.toISOString()];

beforeEach(async () => {
  h = await harness('10.3');
  dir = await tempDir();
  file = path.join(dir, 'policy.yml');
  await writeFile(file, LIFECYCLE);
  const c = h.sb.credentials;
  vi.stubEnv('ATLASSIAN_URL', h.sb.url);
  vi.stubEnv('ATLASSIAN_TOKEN', c.token);
  vi.stubEnv('ATLASSIAN_USERNAME', '');
  vi.stubEnv('ATLASSIAN_PASSWORD', '');
  vi.stubEnv('ATLASSIAN_APP_NAME', c.appName);
  vi.stubEnv('ATLASSIAN_APP_PASSWORD', c.appPassword);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await h.close();
});

const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  );

/** A terminal whose user answers `answer`; records each question and what the instance had received by then. */
function terminal(answer: string) {
  const asked: { question: string; writesBefore: number; stdoutBefore: string }[] = [];
  const stdoutSoFar: string[] = [];
  const io: Partial<Io> = {
    interactive: true,
    out: (t) => stdoutSoFar.push(t),
    ask: async (question) => {
      asked.push({ question, writesBefore: h.sb.requests.length, stdoutBefore: stdoutSoFar.join('\n') });
      return answer;
    },
  };
  return { io, asked, stdout: () => stdoutSoFar.join('\n') };
}

describe('aup apply on a terminal', () => {
  it.each(['no', 'y', 'YES', ''])('shows the plan, asks, and on %j writes nothing', async (answer) => {
    const t = terminal(answer);
    const out = path.join(dir, 'out');
    const r = await aup(['apply', '--policy', file, ...now, '--out', out], t.io);
    expect(t.asked).toHaveLength(1);
    expect(t.asked[0]!.question).toContain(
      `Do you want to apply these 10 changes to ${h.sb.url}? Only 'yes' will be accepted.`,
    );
    expect(t.asked[0]!.stdoutBefore).toContain('deactivate');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('aup: apply cancelled: the answer was not "yes". Nothing was changed.');
    expect(h.sb.requests).toEqual([]);
    expect(h.sb.store.user('bob')!.active).toBe(true);
    expect(await exists(path.join(out, 'audit.csv'))).toBe(false);
  });

  it('applies on "yes", and had written nothing before the answer', async () => {
    const t = terminal('yes');
    const r = await aup(['apply', '--policy', file, ...now, '--out', path.join(dir, 'out')], t.io);
    expect(t.asked.map((a) => a.writesBefore)).toEqual([0]);
    expect(r.code).toBe(0);
    expect(t.stdout()).toContain('Apply: 8 applied, 0 already in state, 2 skipped, 0 failed.');
    expect(h.sb.requests.length).toBeGreaterThan(0);
    expect(h.sb.store.user('bob')!.active).toBe(false);
  });

  it('does not ask when the plan has no changes', async () => {
    await writeFile(
      file,
      'version: 1\ninstance: { platform: jira-dc, access_groups: [jira-software-users] }\n',
    );
    const t = terminal('no');
    const r = await aup(['apply', '--policy', file, ...now, '--out', path.join(dir, 'out')], t.io);
    expect(t.asked).toEqual([]);
    expect(r.code).toBe(0);
    expect(t.stdout()).toContain('Apply: 0 applied, 0 already in state, 0 skipped, 0 failed.');
    expect(h.sb.requests).toEqual([]);
  });

  it('does not ask for a reviewed plan (--plan) or with --yes', async () => {
    const planned = await aup(['plan', file, ...now, '--out', path.join(dir, 'plan')]);
    expect(planned.code).toBe(0);
    const t = terminal('no');
    const r = await aup(
      [
        'apply',
        '--policy',
        file,
        '--plan',
        path.join(dir, 'plan', 'plan.json'),
        ...now,
        '--out',
        path.join(dir, 'out'),
      ],
      t.io,
    );
    expect(r.code).toBe(0);
    expect(t.asked).toEqual([]);
    expect(h.sb.store.user('bob')!.active).toBe(false);
  });
});

describe('aup apply without a terminal', () => {
  it('refuses without --yes or --plan, naming both, before reading anything', async () => {
    const ask = vi.fn(async () => 'yes');
    const r = await aup(['apply', '--policy', file, ...now, '--out', path.join(dir, 'out')], {
      interactive: false,
      ask,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no terminal to ask on');
    expect(r.stderr).toContain('Add --yes to apply the live plan without asking, or --plan FILE');
    expect(ask).not.toHaveBeenCalled();
    expect(h.sb.allRequests).toEqual([]);
    expect(h.sb.store.user('bob')!.active).toBe(true);
  });

  it('applies with --yes', async () => {
    const r = await aup(['apply', '--policy', file, '--yes', ...now, '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply: 8 applied, 0 already in state, 2 skipped, 0 failed.');
    expect(h.sb.store.user('bob')!.active).toBe(false);
  });
});
