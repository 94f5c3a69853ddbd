// Shared by the safety tests (issue 13): an organisation of any size in each platform's own groups, the
// credentials as the CLI reads them, the CLI as a killable child process, and what the sandbox's request log
// says about repeated writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CREDENTIAL_SOURCES } from '../../src/platforms/credentials.ts';
import type { Credentials } from '../../src/platforms/registry.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import type { RecordedRequest, SandboxHandle, Scenario, ScenarioUser } from '../../src/sandbox/index.ts';
import type { ContractFixture } from '../contract/fixture.ts';
import { contractOrg, daysAgo } from '../contract/org.ts';

export const ROOT = path.join(import.meta.dirname, '../..');
/** The CLI from source, as `npm run cli` runs it. */
export const CLI = [
  '--experimental-strip-types',
  '--no-warnings=ExperimentalWarning',
  path.join(ROOT, 'src/aup.ts'),
];

export const tempDir = (prefix = 'aup-safety-') => mkdtemp(path.join(tmpdir(), prefix));

export function resolvedPolicy(text: string, file = 'policy.yml'): ResolvedPolicy {
  const r = parsePolicyText(text, file);
  if (!r.policy) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return { path: file, sha256: 'x', policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

/**
 * The contract organisation plus `extra` dormant people (last login 200 days ago) holding a seat and the
 * exact group qa: each of them is a removal from qa and a deactivation (or, where the platform cannot
 * deactivate, a seat removal) under the lifecycle policy.
 */
export function org(f: ContractFixture, extra: number): Scenario {
  const base = contractOrg(f);
  const people: ScenarioUser[] = Array.from({ length: extra }, (_, i) => ({
    name: `dormant${String(i).padStart(5, '0')}`,
    displayName: `Dormant ${i}`,
    email: `dormant${i}@example.com`,
    created: daysAgo(380),
    lastLogin: daysAgo(200),
    groups: [f.accessGroup, 'qa'],
  }));
  return { ...base, users: [...base.users, ...people] };
}

/** Environment variables for the CLI: the URL and the fixture's credentials, nothing inherited. */
export function cliEnv(sb: SandboxHandle, credentials: Credentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ATLASSIAN_URL: sb.url };
  for (const [key, value] of Object.entries(credentials))
    env[CREDENTIAL_SOURCES[key as keyof typeof CREDENTIAL_SOURCES].env] = value;
  return env;
}

export interface Child {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts the CLI asynchronously (the sandbox is served by this process: a sync spawn would deadlock). */
export function startCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, [...CLI, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** A request the platform only reads with although it is not a GET (a search that takes a POST body). */
export function isReading(
  f: Pick<ContractFixture, 'readingRequests'>,
  r: { method: string; path: string },
): boolean {
  const request = `${r.method} ${r.path}`;
  return f.readingRequests.some((x) => (typeof x === 'string' ? x === request : x.test(request)));
}

/** Requests that could change the instance: non-GET, except the platform's search POSTs that only read. */
export function writesOf(sb: SandboxHandle, f: Pick<ContractFixture, 'readingRequests'>): RecordedRequest[] {
  return sb.requests.filter((r) => !isReading(f, r));
}

const signature = (r: RecordedRequest) =>
  `${r.method} ${r.path}?${JSON.stringify(Object.entries(r.query).sort())} ${JSON.stringify(r.body)}`;

/**
 * Writes the instance carried out more than once: the same method, path, query and body that changed what the
 * instance holds twice. (An attempt answered with an injected 5xx, 429 or reset never reached the route, and
 * a write a read-only directory ignored changed nothing: neither is a repeat.)
 */
export function repeatedWrites(
  sb: SandboxHandle,
  f: Pick<ContractFixture, 'readingRequests'>,
): { request: string; times: number }[] {
  const counts = new Map<string, number>();
  for (const r of writesOf(sb, f)) {
    if (!r.changed) continue;
    counts.set(signature(r), (counts.get(signature(r)) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([request, times]) => ({ request, times }));
}
