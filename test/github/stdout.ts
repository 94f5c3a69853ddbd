// Captures what @actions/core writes to stdout (workflow commands: ::error, ::warning, ::add-mask::)
// for the tests of one file; call at module level.
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedStdout {
  text(): string;
  lines(): string[];
  clear(): void;
}

export function captureStdout(): CapturedStdout {
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    text: () => out,
    lines: () => out.split(/\r?\n/).filter((l) => l !== ''),
    clear: () => {
      out = '';
    },
  };
}
