// Issue 7 item 12: long reads and applies show progress on stderr — a live line rewritten in place on a
// terminal, a plain line every interval otherwise — never on stdout; and apply prints every skip and every
// failure with its reason. Against the sandbox over real HTTP, with an added latency so reads take a while.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProgressIo } from '../../src/commands/plan.ts';
import { startProgress } from '../../src/commands/progress.ts';
import type { Plan } from '../../src/model.ts';
import { harness, type Harness, LIFECYCLE, NOW, tempDir } from '../platforms/helpers.ts';
import { aup } from './capture.ts';

let h: Harness;
let file: string;
let dir: string;
const now = ['--now', NOW.toISOString()];

beforeEach(async () => {
  h = await harness('10.3', { faults: { latencyMs: 3 } });
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

/** stderr as a terminal or a CI log would receive it, raw. */
function stderr(tty: boolean): ProgressIo & { text: () => string } {
  const chunks: string[] = [];
  return { tty, intervalMs: 1, columns: 200, write: (t) => chunks.push(t), text: () => chunks.join('') };
}

describe('progress of a live plan', () => {
  it('without a terminal: plain lines on stderr while reading; stdout stays the JSON plan', async () => {
    const progress = stderr(false);
    const r = await aup(['plan', '--policy', file, ...now, '--format', 'json'], { progress });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Plan).changes).toHaveLength(10);
    const lines = progress.text().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(new RegExp(`^reading ${h.sb.url}: [\\d,]+ requests?, `));
    expect(lines.at(-1)).toMatch(/, 10 users listed, login times of \d+ of 10 users/);
    expect(progress.text()).not.toContain('\r');
  });

  it('on a terminal: one line rewritten in place, cleared at the end', async () => {
    const progress = stderr(true);
    const r = await aup(['plan', '--policy', file, ...now], { progress });
    expect(r.code).toBe(0);
    const text = progress.text();
    expect(text).toMatch(new RegExp(`^\\r\\x1b\\[2Kreading ${h.sb.url}: `));
    expect(text).not.toContain('\n');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('aup apply', () => {
  it('shows changes done of the total while applying', async () => {
    const progress = stderr(false);
    const r = await aup(['apply', '--policy', file, '--yes', ...now, '--out', dir], { progress });
    expect(r.code).toBe(0);
    expect(progress.text()).toMatch(/^applying: \d+ of 10 changes done/m);
  });

  it('prints each skip and each failure with its reason', async () => {
    h.sb.failNext('/rest/api/2/user', 403, { method: 'DELETE' });
    const r = await aup(['apply', '--policy', file, '--yes', ...now, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Apply: 7 applied, 0 already in state, 2 skipped, 1 failed.');
    const listed = r.stdout.split('\n').filter((l) => /^ {2}(skipped|failed) /.test(l));
    expect(listed).toEqual([
      "  skipped  add-member alice (ldap-staff): read-only directory: Directory 'Corporate LDAP' does not allow updates.",
      "  skipped  deactivate carol: read-only directory: The user's directory is read only.",
      expect.stringMatching(/^ {2}failed {3}delete ivan: .*403 Forbidden/),
    ]);
  });
});

describe('startProgress', () => {
  it("after Jira's user pages, the embedded Crowd's search pages are login times, not more users", () => {
    let tick = (): void => {};
    const out = stderr(false);
    const p = startProgress(out, {
      what: 'reading https://jira.example.com',
      fallbackLog: () => {},
      now: () => 0,
      every: (_ms, f) => ((tick = f), () => {}),
    });
    const page = (n: number) => ({ type: 'response' as const, method: 'GET', status: 200, items: n });
    p.http({ ...page(1000), path: '/rest/api/2/user/list' });
    p.http({ ...page(200), path: '/rest/api/2/user/list' });
    p.http({ ...page(1000), path: '/rest/usermanagement/1/search', itemsField: 'users' });
    p.http({ ...page(150), path: '/rest/usermanagement/1/search', itemsField: 'users' });
    p.http({ type: 'response', method: 'GET', path: '/rest/usermanagement/1/user', status: 200 });
    tick();
    expect(out.text()).toBe(
      'reading https://jira.example.com: 5 requests, 4 pages, 1,200 users listed, login times of 1,151 of 1,200 users, 0 s, ETA 0 s\n',
    );
  });

  it('reports pages, users, login times, rate-limit waits and an ETA from events', () => {
    let t = 0;
    let tick = (): void => {};
    const out = stderr(false);
    const p = startProgress(out, {
      what: 'reading https://jira.example.com',
      fallbackLog: () => {},
      now: () => t,
      every: (_ms, f) => ((tick = f), () => {}),
    });
    const page = (n: number) => ({ type: 'response' as const, method: 'GET', status: 200, items: n });
    p.http({ ...page(1000), path: '/rest/usermanagement/1/search', itemsField: 'users' });
    p.http({ ...page(1000), path: '/rest/usermanagement/1/search', itemsField: 'users' });
    p.http({ ...page(50), path: '/rest/usermanagement/1/search', itemsField: 'groups' });
    p.http({ ...page(30), path: '/rest/usermanagement/1/group/user/direct', itemsField: 'users' });
    p.http({ type: 'throttle', method: 'GET', path: '/rest/usermanagement/1/user', waitMs: 3000 });
    t = 10_000;
    for (let i = 0; i < 500; i++)
      p.http({ type: 'response', method: 'GET', path: '/rest/usermanagement/1/user', status: 200 });
    t = 20_000;
    tick();
    expect(out.text()).toBe(
      'reading https://jira.example.com: 504 requests, 4 pages, 2,000 users listed, login times of 500 of 2,000 users, 1 rate-limit wait (3 s), 20 s, ETA 30 s\n',
    );
    p.applying(40);
    t = 24_000;
    for (let i = 0; i < 10; i++)
      p.result({ change: {} as never, outcome: i < 2 ? 'failed' : 'applied', at: '' });
    tick();
    expect(out.text().split('\n').at(-2)).toBe(
      'applying: 10 of 40 changes done (2 failed), 1 rate-limit wait (3 s), 4 s, ETA 12 s',
    );
    p.stop();
    tick();
    expect(out.text().split('\n')).toHaveLength(3);
  });
});

describe('startProgress on a Cloud organisation', () => {
  it('counts users/search pages as users listed and last-active-dates as login-time reads', () => {
    let tick = (): void => {};
    const out = stderr(false);
    const p = startProgress(out, {
      what: 'reading https://api.atlassian.com',
      fallbackLog: () => {},
      now: () => 0,
      every: (_ms, f) => ((tick = f), () => {}),
    });
    const org = '/admin/v2/orgs/o1/directories/d1';
    p.http({
      type: 'response',
      method: 'POST',
      status: 200,
      items: 100,
      itemsField: 'data',
      path: `${org}/users/search`,
    });
    p.http({
      type: 'response',
      method: 'POST',
      status: 200,
      items: 40,
      itemsField: 'data',
      path: `${org}/users/search`,
    });
    p.http({
      type: 'response',
      method: 'POST',
      status: 200,
      items: 8,
      itemsField: 'data',
      path: `${org}/groups/search`,
    });
    p.http({
      type: 'response',
      method: 'GET',
      status: 200,
      path: '/admin/v1/orgs/o1/directory/users/a1/last-active-dates',
    });
    tick();
    expect(out.text()).toBe(
      'reading https://api.atlassian.com: 4 requests, 3 pages, 140 users listed, login times of 1 of 140 users, 0 s, ETA 0 s\n',
    );
  });
});
