// What every bench scenario shares: the result row, a measured child process (wall, its own CPU and peak RSS),
// the sandbox in its own process, and the table.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildOptions } from './sandbox-child.ts';

export interface Result {
  name: string;
  users: number;
  requests: number | null;
  wall_s: number;
  cpu_s: number;
  rss_mb: number;
  /** What the target compares (a rate, a multiple, a growth factor); null when the row has no ratio. */
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_ARGS = ['--experimental-strip-types', '--no-warnings=ExperimentalWarning'];
export const TMP = mkdtempSync(path.join(tmpdir(), 'aup-bench-'));
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs `node <args>` to its end: wall time, and the child's own CPU time and peak RSS. */
export async function measured(
  args: string[],
): Promise<{ wall_s: number; cpu_s: number; rss_mb: number; stdout: string; code: number }> {
  const file = path.join(TMP, `rusage-${Date.now()}-${Math.random()}.json`);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', path.join(ROOT, 'bench/rusage.ts'), ...NODE_ARGS, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, AUP_BENCH_RUSAGE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const [code] = (await once(child, 'close')) as [number];
  const wall_s = (performance.now() - t0) / 1000;
  if (code !== 0 && code !== 2)
    throw new Error(`node ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`);
  const r = JSON.parse(readFileSync(file, 'utf8')) as { cpu_s: number; rss_mb: number };
  return { wall_s, ...r, stdout: Buffer.concat(out).toString(), code };
}

export interface SandboxChild {
  url: string;
  credentials: { token: string; appName: string; appPassword: string };
  requests: number;
  ask<T>(msg: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** The sandbox in its own process (bench/sandbox-child.ts). */
export async function sandboxChild(o: ChildOptions): Promise<SandboxChild> {
  const child: ChildProcess = fork(path.join(ROOT, 'bench/sandbox-child.ts'), [JSON.stringify(o)], {
    execArgv: NODE_ARGS,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.once('exit', (c) => reject(new Error(`sandbox exited ${c}`)));
    });
  const ready = await next<{ url: string; credentials: SandboxChild['credentials']; requests: number }>(
    'ready',
  );
  return {
    ...ready,
    ask: async <T>(msg: Record<string, unknown>) => {
      const p = next<T>(msg.type as string);
      child.send(msg);
      return p;
    },
    close: async () => {
      child.disconnect();
      await once(child, 'exit');
    },
  };
}

const fmt = (n: number | null, d = 2) => (n === null ? '–' : String(round(n, d)));

export function table(results: Result[]): string {
  const head = ['scenario', 'users', 'requests', 'wall s', 'cpu s', 'rss MB', 'ratio', 'target', 'met'];
  const rows = results.map((r) => [
    r.name,
    r.users.toLocaleString('en-US'),
    r.requests === null ? '–' : r.requests.toLocaleString('en-US'),
    fmt(r.wall_s),
    fmt(r.cpu_s),
    fmt(r.rss_mb, 0),
    fmt(r.ratio),
    r.target,
    r.met === null ? '–' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => rows.reduce((w, row) => Math.max(w, row[i]!.length), h.length));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
