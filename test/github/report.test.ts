// annotations.ts, summary.ts, outputs.ts, and action.yml staying in step with them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { annotate } from '../../src/github/annotations.ts';
import { INPUT_NAMES } from '../../src/github/inputs.ts';
import { OUTPUT_NAMES, outputValues, setOutputs } from '../../src/github/outputs.ts';
import { writeSummary } from '../../src/github/summary.ts';
import type { Diagnostic } from '../../src/policy/diagnostics.ts';
import { captureStdout } from './stdout.ts';

let dir: string;
let summaryFile: string;
const stdout = captureStdout();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aup-report-'));
  // One file for the whole test file: core.summary caches the path it first wrote to.
  summaryFile = path.join(dir, 'summary.md');
});
beforeEach(() => writeFile(summaryFile, ''));
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const diag = (i: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  severity,
  file: `/ws/policies/p${i}.yml`,
  line: i + 1,
  col: 3,
  field: i % 2 ? `groups.g${i}` : '',
  message: `problem ${i}`,
});

describe('annotate', () => {
  it('annotates the first 10 of each severity at file:line:col and returns the rest', () => {
    const errors = Array.from({ length: 12 }, (_, i) => diag(i));
    const warnings = Array.from({ length: 2 }, (_, i) => diag(20 + i, 'warning'));
    const { annotated, rest } = annotate([...errors, ...warnings], { workspace: '/ws' });

    expect(annotated).toBe(12);
    expect(rest).toEqual([errors[10], errors[11]]);
    const lines = stdout.lines();
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(2);
    expect(lines[0]).toBe('::error title=Policy error,file=policies/p0.yml,line=1,col=3::problem 0');
    expect(lines[1]).toBe(
      '::error title=Policy error%3A groups.g1,file=policies/p1.yml,line=2,col=3::problem 1',
    );
    expect(stdout.text()).toContain('/ws/policies/p11.yml:12:3: groups.g11: problem 11');
  });

  it('keeps relative paths and leaves out a missing position', () => {
    annotate([{ ...diag(0), file: 'policies/x.yml', line: 0, col: 0 }]);
    expect(stdout.lines()).toEqual(['::error title=Policy error,file=policies/x.yml::problem 0']);
  });
});

describe('writeSummary', () => {
  it('appends the Markdown to $GITHUB_STEP_SUMMARY', async () => {
    const file = summaryFile;
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    expect(await writeSummary('## Plan\n\n3 changes')).toEqual({
      written: true,
      bytes: 19,
      truncated: false,
    });
    expect(await readFile(file, 'utf8')).toBe('## Plan\n\n3 changes\n');
  });

  it('keeps the whole step under the budget, counting what is already there, and closes blocks', async () => {
    const file = summaryFile;
    await writeFile(file, 'x'.repeat(1000));
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    const rows = Array.from({ length: 500 }, (_, i) => `| ü${i} | déactivate |`).join('\n');
    const res = await writeSummary(`<details>\n\n${rows}\n</details>`, { maxBytes: 4000 });
    expect(res.truncated).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4000 + 1);
    expect(text).toMatch(/\| déactivate \|\n<\/details>\n\n> The summary was cut/);
    expect(stdout.lines().filter((l) => l.startsWith('::warning::'))).toHaveLength(1);
  });

  it('writes nothing outside a workflow run', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    expect(await writeSummary('x')).toEqual({ written: false, bytes: 0, truncated: false });
  });
});

describe('setOutputs', () => {
  it('turns every output into a string', () => {
    expect(
      outputValues({
        hasChanges: true,
        changesCount: 3,
        appliedCount: 0,
        failedCount: 0,
        commentIds: [5001, 5002],
        artifactId: null,
        outDir: '/tmp/out',
        summary: '3 changes\n(2 destructive)',
      }),
    ).toEqual({
      'has-changes': 'true',
      'changes-count': '3',
      'applied-count': '0',
      'failed-count': '0',
      'comment-id': '5001,5002',
      'artifact-id': '',
      'out-dir': '/tmp/out',
      summary: '3 changes (2 destructive)',
    });
  });

  it('writes only the given outputs to $GITHUB_OUTPUT', async () => {
    const file = path.join(dir, 'output');
    await writeFile(file, '');
    vi.stubEnv('GITHUB_OUTPUT', file);
    setOutputs({ outDir: '/tmp/out', artifactId: 1000 });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^out-dir<<ghadelimiter_[\w-]+\n\/tmp\/out\n/);
    expect(text).toMatch(/artifact-id<<ghadelimiter_[\w-]+\n1000\n/);
    expect(text).not.toContain('has-changes');
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs readSettings reads and the outputs setOutputs sets', async () => {
    const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { description: string; default?: string; required?: boolean }>;
      outputs: Record<string, { description: string }>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const i of Object.values(action.inputs)) expect(i.description.length).toBeGreaterThan(10);
    expect(action.inputs.policy?.required).toBe(true);
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(action.inputs.mode?.default).toBe('auto');
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
