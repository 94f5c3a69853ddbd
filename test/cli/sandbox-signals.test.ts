// Issue 7 item 11: stopping `aup sandbox` stops the server, whichever way it was started — directly, through
// `npm run cli -- sandbox`, or through `npx aup sandbox` (both put npm and a shell in front of it) — and
// whether the signal goes to the process the user started only (kill) or to its whole process group (Ctrl+C
// in a terminal). Each test spawns the real command, waits for its banner, signals, and checks that the
// process exits and that the port is free again.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '../..');
const NODE_FLAGS = ['--experimental-strip-types', '--no-warnings=ExperimentalWarning'];
const AUP = path.join(ROOT, 'src/aup.ts');

interface Started {
  child: ChildProcess;
  port: number;
  /** The started process exited. */
  exited: Promise<void>;
  /** Its stdout and stderr closed: every process that held them (npm's shell, aup) exited too. */
  closed: Promise<void>;
  output: () => string;
}

/** Spawns `cmd`, resolves once the sandbox banner names its URL. */
function start(cmd: string, args: string[], cwd: string, group: boolean): Promise<Started> {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Jira Data Center [\d.]+ at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m && out.includes('Press Ctrl+C to stop.')) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (x: Buffer) => (out += x.toString()));
        resolve({ child, port: Number(m[1]), exited, closed, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited (${code}) before its banner:\n${out}`)));
  });
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

async function expectStopped(s: Started): Promise<void> {
  await s.exited;
  // The server may be a grandchild (npm → sh → node): it must exit and let go of the port too.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still running 10 s after the signal:\n${s.output()}`)),
      10_000,
    );
  });
  await Promise.race([s.closed, late]).finally(() => clearTimeout(timer));
  expect(await listening(s.port)).toBe(false);
  expect(await canListen(s.port)).toBe(true);
  expect(s.output()).toContain('Sandbox stopped.');
}

let shimDir: string;

beforeAll(async () => {
  // What `npx aup` finds in a project that installed aup: node_modules/.bin/aup, here running the sources.
  shimDir = await mkdtemp(path.join(tmpdir(), 'aup-npx-'));
  const bin = path.join(shimDir, 'node_modules', '.bin');
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(shimDir, 'package.json'), '{"name":"aup-npx-shim","private":true}\n');
  await writeFile(
    path.join(bin, 'aup'),
    `#!/bin/sh\nexec "${process.execPath}" ${NODE_FLAGS.join(' ')} "${AUP}" "$@"\n`,
  );
  await chmod(path.join(bin, 'aup'), 0o755);
});

const ways = {
  'aup sandbox': (group: boolean) =>
    start(process.execPath, [...NODE_FLAGS, AUP, 'sandbox', '--port', '0'], ROOT, group),
  'npm run cli -- sandbox': (group: boolean) =>
    start('npm', ['run', '--silent', 'cli', '--', 'sandbox', '--port', '0'], ROOT, group),
  'npx aup sandbox': (group: boolean) =>
    start('npx', ['--no-install', 'aup', 'sandbox', '--port', '0'], shimDir, group),
};

// A SIGINT sent to npm's pid alone never reaches aup: npm passes it to the shell it runs scripts in, and
// the shell (dash) waits for its child instead. Ctrl+C in a terminal signals the whole group (tested below).
const SIGNALS: Record<keyof typeof ways, NodeJS.Signals[]> = {
  'aup sandbox': ['SIGTERM', 'SIGINT', 'SIGHUP'],
  'npm run cli -- sandbox': ['SIGTERM'],
  'npx aup sandbox': ['SIGTERM'],
};

describe.each(Object.keys(ways) as (keyof typeof ways)[])('stopping %s', (way) => {
  it.each(SIGNALS[way])('%s to the process the user started stops the server', async (signal) => {
    const s = await ways[way](false);
    s.child.kill(signal);
    await expectStopped(s);
  });

  it('Ctrl+C (SIGINT to the whole process group, as a terminal sends it) stops the server', async () => {
    const s = await ways[way](true);
    process.kill(-s.child.pid!, 'SIGINT');
    await expectStopped(s);
  });
});
