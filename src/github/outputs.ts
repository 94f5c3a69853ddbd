// The step outputs, always strings: 'true'/'false', decimal counts, '' for "none".
import * as core from '@actions/core';

/** Every output the Action sets; action.yml declares exactly these (a test checks). */
export const OUTPUT_NAMES = [
  'has-changes',
  'changes-count',
  'applied-count',
  'failed-count',
  'comment-id',
  'artifact-id',
  'out-dir',
  'summary',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export interface ActionOutputs {
  hasChanges: boolean;
  changesCount: number;
  appliedCount: number;
  failedCount: number;
  /** One id per sticky comment (one per policy file), joined with ','; [] or null → ''. */
  commentIds: readonly number[] | null;
  /** null when no artifact was uploaded (GHES, disabled) → ''. */
  artifactId: number | null;
  outDir: string;
  /** A one-line summary, e.g. "3 changes (2 destructive) in 1 policy". Newlines are folded. */
  summary: string;
}

const KEYS: Record<keyof ActionOutputs, OutputName> = {
  hasChanges: 'has-changes',
  changesCount: 'changes-count',
  appliedCount: 'applied-count',
  failedCount: 'failed-count',
  commentIds: 'comment-id',
  artifactId: 'artifact-id',
  outDir: 'out-dir',
  summary: 'summary',
};

/** The string each output gets. Pure; exported for tests and for callers that log them. */
export function outputValues(outputs: Partial<ActionOutputs>): Partial<Record<OutputName, string>> {
  const out: Partial<Record<OutputName, string>> = {};
  for (const [key, value] of Object.entries(outputs) as [
    keyof ActionOutputs,
    ActionOutputs[keyof ActionOutputs],
  ][]) {
    if (value === undefined) continue;
    out[KEYS[key]] = stringify(value);
  }
  return out;
}

/**
 * Sets the given outputs (only those present, so it can be called early for `out-dir` and again at
 * the end). Returns what was set.
 */
export function setOutputs(outputs: Partial<ActionOutputs>): Partial<Record<OutputName, string>> {
  const values = outputValues(outputs);
  for (const [name, value] of Object.entries(values)) core.setOutput(name, value);
  return values;
}

function stringify(value: ActionOutputs[keyof ActionOutputs]): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.trunc(value)) : '';
  if (typeof value === 'string') return value.replace(/\s*\r?\n\s*/g, ' ').trim();
  return value.join(',');
}
