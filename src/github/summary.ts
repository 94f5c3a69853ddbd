// The job summary: Markdown appended to $GITHUB_STEP_SUMMARY through core.summary, kept under the
// runner's 1 MiB per-step limit (over it the runner drops the whole summary).
import { stat } from 'node:fs/promises';
import * as core from '@actions/core';
import { truncateMarkdown } from './fit.ts';
import { logInfo } from './log.ts';

/** Our budget per step; the runner refuses more than 1024 KiB. */
export const MAX_SUMMARY_BYTES = 900 * 1024;

export interface SummaryOptions {
  /** Budget for the whole summary file of this step, including what is already in it. */
  maxBytes?: number;
  /** Replaces the default last line when the Markdown had to be cut. */
  truncatedNote?: string;
}

export interface SummaryResult {
  /** false when GITHUB_STEP_SUMMARY is not set (not a workflow run): nothing written. */
  written: boolean;
  bytes: number;
  truncated: boolean;
}

const DEFAULT_NOTE =
  '\n\n> The summary was cut to stay under GitHub’s 1 MiB limit; the full report is in the artifact.\n';

/**
 * Appends `markdown` to the job summary. Several calls in one step share the budget: what the file
 * already holds is subtracted. Cuts at a line and closes open fences and `<details>` when over.
 */
export async function writeSummary(markdown: string, options: SummaryOptions = {}): Promise<SummaryResult> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    logInfo('GITHUB_STEP_SUMMARY is not set: no job summary written');
    return { written: false, bytes: 0, truncated: false };
  }
  const existing = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const budget = Math.max(0, (options.maxBytes ?? MAX_SUMMARY_BYTES) - existing);
  const text = truncateMarkdown(markdown, budget, options.truncatedNote ?? DEFAULT_NOTE, Buffer.byteLength);
  const truncated = text !== markdown;
  if (truncated) {
    core.warning(
      `the job summary (${Buffer.byteLength(markdown)} bytes) was cut to ${Buffer.byteLength(text)} bytes`,
    );
  }
  await core.summary.addRaw(text, true).write();
  return { written: true, bytes: Buffer.byteLength(text) + 1, truncated };
}
