// Diagnostics: every policy problem names the file, line, column and field, and all are reported at once.
import { clipLines } from '../report/escape.ts';

export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  col: number;
  /** The field, as a path: `inactivity[0].inactive_days`. Empty for whole-file problems. */
  field: string;
  message: string;
}

/** An error about a whole file (it cannot be read), located at its first line. */
export function fileError(file: string, message: string): Diagnostic {
  return { severity: 'error', file, line: 1, col: 1, field: '', message };
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const sev = d.severity === 'warning' ? 'warning: ' : '';
  return clipLines(d.field ? `${where}: ${sev}${d.field}: ${d.message}` : `${where}: ${sev}${d.message}`);
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Thrown when a policy (or a file it imports) is invalid; carries every diagnostic. */
export class PolicyError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n'),
    );
    this.name = 'PolicyError';
    this.diagnostics = diagnostics;
  }
}
