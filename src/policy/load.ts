// Loading a policy from disk: the file, its sha256, and the CSVs it imports. The I/O edge of src/policy.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonical } from '../model/identity.ts';
import { ruleText } from '../model/rules.ts';
import { type Diagnostic, fileError, PolicyError } from './diagnostics.ts';
import { type ImportSummary, parseImportCsv } from './import-csv.ts';
import { resolveExtends } from './extends.ts';
import { type FieldLocator, readYaml, sortDiagnostics, validatePolicy } from './parse.ts';
import { type DeclaredUser, declaredFromPolicy, type ResolvedPolicy } from './resolved.ts';

export interface LoadOptions {
  /** Directory that relative paths in the policy (import CSVs) resolve against. Default: the working directory. */
  baseDir?: string;
}

export interface LoadResult {
  resolved: ResolvedPolicy | null;
  diagnostics: Diagnostic[];
}

/** Loads and validates; never throws for invalid input — diagnostics say what is wrong. */
export async function loadPolicyFile(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const baseDir = opts.baseDir ?? process.cwd();
  let text: string;
  try {
    text = await readFile(path.resolve(baseDir, file), 'utf8');
  } catch (e) {
    return { resolved: null, diagnostics: [fileError(file, `reading the policy: ${(e as Error).message}`)] };
  }
  return resolvePolicyText(text, file, (csv) => readFile(path.resolve(baseDir, csv), 'utf8'));
}

/**
 * Reads a file the policy names (an import CSV by its path as written in the policy; a fragment by its path
 * relative to the working directory). Throws when the file cannot be read; the message becomes a diagnostic.
 */
export type PolicyFileReader = (file: string) => Promise<string>;

/**
 * Parses policy text and resolves what it imports through `read`, so a policy can be resolved from
 * any source: the working tree, or a commit read through an API. Never throws for invalid input.
 */
export async function resolvePolicyText(
  text: string,
  file: string,
  read: PolicyFileReader,
): Promise<LoadResult> {
  const parsed = await parseWithFragments(text, file, read);
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.policy) return { resolved: null, diagnostics };

  const declared: DeclaredUser[] = declaredFromPolicy(parsed.policy);
  for (const imp of parsed.policy.import) {
    let csv: string;
    try {
      csv = await read(imp.csv);
    } catch (e) {
      diagnostics.push(
        fileError(imp.csv, `reading the import CSV named by ${file}: ${(e as Error).message}`),
      );
      continue;
    }
    for (const item of addImported(declared, csv, imp.csv).diagnostics) diagnostics.push(item);
  }
  if (diagnostics.some((d) => d.severity === 'error'))
    return { resolved: null, diagnostics: sortDiagnostics(diagnostics) };
  // A fragment changes the policy as much as the file itself: its text is part of the policy's hash.
  const hash = createHash('sha256').update(text);
  for (const f of parsed.fragments) hash.update(`\u0000${f.file}\u0000${f.text}`);
  const sha256 = hash.digest('hex');
  const locator = parsed.locator;
  const locate = locator ? (field: (string | number)[]) => locator.at(field) : undefined;
  return {
    resolved: { path: file, sha256, policy: parsed.policy, declared, locate },
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** Parses the policy and merges the fragments it extends; every problem located where it is written. */
async function parseWithFragments(
  text: string,
  file: string,
  read: PolicyFileReader,
): Promise<{
  policy: ResolvedPolicy['policy'] | null;
  diagnostics: Diagnostic[];
  locator: FieldLocator | null;
  fragments: { file: string; text: string }[];
}> {
  const doc = readYaml(text, file);
  if (doc.raw === undefined || !doc.locator)
    return { policy: null, diagnostics: doc.diagnostics, locator: doc.locator, fragments: [] };
  const raw = doc.raw;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('extends' in raw))
    return { ...validatePolicy(raw, doc.locator, doc.diagnostics), locator: doc.locator, fragments: [] };
  const ext = await resolveExtends(raw as Record<string, unknown>, file, doc.locator, read);
  const earlier = [...doc.diagnostics, ...ext.diagnostics];
  if (ext.diagnostics.some((d) => d.severity === 'error'))
    return { policy: null, diagnostics: sortDiagnostics(earlier), locator: ext.locator, fragments: [] };
  return { ...validatePolicy(ext.raw, ext.locator, earlier), locator: ext.locator, fragments: ext.fragments };
}

/**
 * Reads an import CSV and adds its users to `declared` (the policy's users and earlier imports), refusing a user
 * declared twice. Returns the CSV's diagnostics and what it holds.
 */
export function addImported(
  declared: DeclaredUser[],
  text: string,
  file: string,
): { diagnostics: Diagnostic[]; summary: ImportSummary } {
  const byName = new Map(declared.map((d) => [canonical(d.name), ruleText(d.ref)]));
  const { users, diagnostics, summary } = parseImportCsv(text, file);
  for (const u of users) {
    const prior = byName.get(canonical(u.name));
    if (prior) {
      diagnostics.push({
        severity: 'error',
        file,
        line: u.ref.type === 'import' ? u.ref.line : 1,
        col: u.cells?.username ?? 1,
        field: 'username',
        message: `"${u.name}" is already declared in ${prior}`,
      });
      continue;
    }
    byName.set(canonical(u.name), ruleText(u.ref));
    declared.push(u);
  }
  return { diagnostics, summary };
}

/** Loads and throws a PolicyError carrying every diagnostic when the policy is invalid. */
export async function loadPolicy(file: string, opts: LoadOptions = {}): Promise<ResolvedPolicy> {
  const { resolved, diagnostics } = await loadPolicyFile(file, opts);
  if (!resolved) throw new PolicyError(diagnostics);
  return resolved;
}
