// Policy diagnostics as check annotations at file:line:col. GitHub shows at most 10 errors and 10
// warnings per step, so the first 10 of each are annotated and the rest returned for the summary.
import path from 'node:path';
import * as core from '@actions/core';
import { formatDiagnostic } from '../policy/diagnostics.ts';
import { clipLines } from '../report/escape.ts';
import type { Diagnostic } from '../policy/diagnostics.ts';
import { plural } from '../plural.ts';
import { logInfo } from './log.ts';

/** Annotations GitHub keeps per step and severity. */
export const ANNOTATIONS_PER_SEVERITY = 10;

export interface AnnotateOptions {
  /** Paths are made relative to it (annotations need repository-relative paths); default GITHUB_WORKSPACE or cwd. */
  workspace?: string;
  /** Per severity; default 10. */
  limit?: number;
}

export interface AnnotateResult {
  annotated: number;
  /** Not annotated: list these in the job summary. Also logged as plain lines. */
  rest: Diagnostic[];
}

/**
 * Emits `core.error` / `core.warning` with file, line and column for the first `limit` diagnostics of
 * each severity, in the given order. Call it ONCE per step with all diagnostics of all policy files:
 * the limit is per step, not per file.
 */
export function annotate(diagnostics: readonly Diagnostic[], options: AnnotateOptions = {}): AnnotateResult {
  const limit = options.limit ?? ANNOTATIONS_PER_SEVERITY;
  const workspace = path.resolve(options.workspace ?? (process.env.GITHUB_WORKSPACE || process.cwd()));
  const used = { error: 0, warning: 0 };
  const rest: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (used[d.severity] >= limit) {
      rest.push(d);
      continue;
    }
    used[d.severity]++;
    const props: core.AnnotationProperties = {
      title: d.field ? `Policy ${d.severity}: ${d.field}` : `Policy ${d.severity}`,
      file: repoPath(d.file, workspace),
    };
    if (d.line > 0) props.startLine = d.line;
    if (d.line > 0 && d.col > 0) props.startColumn = d.col;
    if (d.severity === 'error') core.error(clipLines(d.message), props);
    else core.warning(clipLines(d.message), props);
  }
  if (rest.length > 0) {
    logInfo(`${plural(rest.length, 'more diagnostic')} (GitHub shows ${limit} annotations per severity):`);
    for (const d of rest) logInfo(formatDiagnostic(d));
  }
  return { annotated: used.error + used.warning, rest };
}

function repoPath(file: string, workspace: string): string {
  const rel = path.isAbsolute(file) ? path.relative(workspace, file) : file;
  return rel.split(path.sep).join('/');
}
