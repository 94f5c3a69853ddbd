// `aup import-check FILE... [--policy P]`: checks import CSVs alone (encoding, header, delimiter, quoting,
// duplicates, emails, states), and with a policy also as its imports against its instance (one snapshot, live and
// read-only or a file): unknown groups, users declared twice, users that cannot be created. Every problem is
// printed as file:line:column: field: message; the exit code is 1 when there is an error.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { planOrThrow } from '../app/plan-run.ts';
import type { Plan } from '../model.ts';
import { type Diagnostic, formatDiagnostic, PolicyError } from '../policy/diagnostics.ts';
import type { ImportSummary } from '../policy/import-csv.ts';
import { parseImportCsv } from '../policy/import-csv.ts';
import { addImported, loadPolicyFile } from '../policy/load.ts';
import { sortDiagnostics } from '../policy/parse.ts';
import { stripControl } from '../report/escape.ts';
import { countsPhrase } from '../report/format.ts';
import { formatInt, plural } from '../plural.ts';
import { type Env, type LiveArgs, readOneSnapshot } from './connection.ts';
import { CliError, type Io } from './plan.ts';

export interface ImportCheckArgs {
  files: string[];
  policy?: string;
  snapshot?: string;
  url?: string;
  env: Env;
  now: Date;
  clock: () => Date;
}

/** Import files are read whole: beyond this size they are refused before reading. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

async function readText(file: string): Promise<{ text: string } | { problem: Diagnostic }> {
  const problem = (message: string) => ({
    problem: { severity: 'error' as const, file, line: 1, col: 1, field: '', message },
  });
  try {
    const { size } = await stat(file);
    if (size > MAX_IMPORT_BYTES)
      return problem(
        `the file is ${formatInt(Math.round(size / 1024 / 1024))} MB; an import is read whole, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it`,
      );
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    return problem(`reading the CSV: ${(e as Error).message}`);
  }
}

function liveArgsOf(args: ImportCheckArgs, policy: string): LiveArgs & { snapshot?: string } {
  return {
    policy,
    url: args.url,
    snapshot: args.snapshot,
    now: args.now,
    format: 'text',
    detailedExitcode: false,
    env: args.env,
    clock: args.clock,
  };
}

function summaryText(s: ImportSummary): string {
  const states = (['active', 'inactive', 'absent'] as const)
    .filter((k) => s.states[k] > 0)
    .map((k) => `${formatInt(s.states[k])} ${k}`);
  return `${plural(s.rows, 'row')}${states.length ? ` (${states.join(', ')})` : ''}, ${plural(s.groups.length, 'group')} named`;
}

export async function importCheckCommand(args: ImportCheckArgs, io: Io): Promise<number> {
  if (args.files.length === 0)
    throw new CliError('import-check needs a CSV file: aup import-check users.csv [--policy FILE]');
  if (!args.policy && (args.snapshot || args.url))
    throw new CliError(
      `${args.snapshot ? '--snapshot' : '--url'} needs --policy: the instance checked against is the policy's`,
    );
  const diagnostics: Diagnostic[] = [];
  const summaries = new Map<string, ImportSummary>();
  const texts = new Map<string, string>();
  for (const file of args.files) {
    const read = await readText(file);
    if ('problem' in read) diagnostics.push(read.problem);
    else texts.set(file, read.text);
  }
  let planned: Plan | null = null;
  let instance = '';
  if (!args.policy) {
    for (const [file, text] of texts) {
      const r = parseImportCsv(text, file);
      for (const item of r.diagnostics) diagnostics.push(item);
      summaries.set(file, r.summary);
    }
  } else {
    const loaded = await loadPolicyFile(args.policy);
    for (const item of loaded.diagnostics) diagnostics.push(item);
    const resolved = loaded.resolved;
    if (resolved) {
      const declared = [...resolved.declared];
      const imported = new Set(resolved.policy.import.map((i) => path.resolve(i.csv)));
      for (const [file, text] of texts) {
        // A file the policy imports already is in `declared` (and its problems in the policy's diagnostics).
        if (imported.has(path.resolve(file))) summaries.set(file, parseImportCsv(text, file).summary);
        else {
          const r = addImported(declared, text, file);
          for (const item of r.diagnostics) diagnostics.push(item);
          summaries.set(file, r.summary);
        }
      }
      // Rows with errors are left out; the others are still checked against the instance (every problem at once).
      const withFiles = { ...resolved, declared };
      const groups = [...summaries.values()].flatMap((r) => r.groups);
      const snapshot = await readOneSnapshot(withFiles, liveArgsOf(args, args.policy), io, {
        extraGroups: groups,
      });
      instance = snapshot.instance;
      try {
        planned = planOrThrow(snapshot, withFiles, args.now);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        for (const item of e.diagnostics) diagnostics.push(item);
      }
    }
  }
  for (const d of sortDiagnostics(diagnostics)) io.err(stripControl(formatDiagnostic(d)));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  for (const file of args.files) {
    const read = summaries.get(file);
    const own = diagnostics.filter((d) => d.file === file);
    const e = own.filter((d) => d.severity === 'error').length;
    const problems = own.length ? ` — ${plural(e, 'error')}, ${plural(own.length - e, 'warning')}` : '';
    let line = `${file}: ${read ? summaryText(read) : 'not read'}${problems}`;
    if (planned && read) {
      const mine = planned.changes.filter((c) => c.rule.type === 'import' && c.rule.file === file);
      const phrase = countsPhrase({ ...planned, changes: mine });
      line += `; planned with ${args.policy} against ${instance}: ${phrase || 'no changes'}`;
    }
    io.out(stripControl(line));
  }
  if (args.files.length > 1 && (errors > 0 || warnings > 0))
    io.err(
      `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(args.files.length, 'file')}`,
    );
  return errors > 0 ? 1 : 0;
}
