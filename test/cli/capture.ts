// Runs `aup` in-process through main() with an Io that records what it prints.
import { main } from '../../src/cli.ts';
import type { Io } from '../../src/commands/plan.ts';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export function capture(extra: Partial<Io> = {}): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, color: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t), ...extra };
}

export async function aup(argv: string[], extra: Partial<Io> = {}): Promise<Captured> {
  const io = capture(extra);
  const code = await main(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}
