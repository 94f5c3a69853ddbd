// Policy text → typed Policy, with every problem located at file:line:col. Pure: no file access here.
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { type Diagnostic, formatPath } from './diagnostics.ts';
import { describe, policySchema, type Policy } from './schema.ts';
import { checkSemantics } from './semantics.ts';

export interface ParsedPolicy {
  policy: Policy | null;
  diagnostics: Diagnostic[];
  /** Finds the line/column of a field path in the text (for problems found later, by the planner). */
  locator: Locator | null;
}

/** Locates fields of one YAML document: path → line/col of the value (or of the nearest parent). */
export class Locator implements FieldLocator {
  private readonly doc: Document;
  private readonly lc: LineCounter;
  readonly file: string;
  constructor(doc: Document, lc: LineCounter, file: string) {
    this.doc = doc;
    this.lc = lc;
    this.file = file;
  }

  at(path: readonly PropertyKey[], key?: string): { line: number; col: number } {
    const segs = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    for (let n = segs.length; n >= 0; n--) {
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(segs.slice(0, n), true)) as
        Node | null | undefined;
      if (!node || !node.range) continue;
      if (key !== undefined && n === segs.length && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key);
        const keyNode = pair && isScalar(pair.key) ? pair.key : null;
        if (keyNode?.range) return this.pos(keyNode.range[0]);
      }
      // Point at the key of a mapping entry when the value itself is missing.
      if (n < segs.length) {
        const missing = segs[n];
        if (isMap(node) && typeof missing === 'string') {
          return this.pos(node.range[0]);
        }
      }
      return this.pos(node.range[0]);
    }
    return { line: 1, col: 1 };
  }

  private pos(offset: number): { line: number; col: number } {
    const { line, col } = this.lc.linePos(offset);
    return { line, col };
  }

  error(path: readonly PropertyKey[], message: string, key?: string): Diagnostic {
    const { line, col } = this.at(path, key);
    const field = formatPath(key === undefined ? path : [...path, key]);
    return { severity: 'error', file: this.file, line, col, field, message };
  }

  warning(path: readonly PropertyKey[], message: string): Diagnostic {
    return { ...this.error(path, message), severity: 'warning' };
  }
}

/** What locates the fields of a policy: one file's Locator, or one that follows merged fragments (extends.ts). */
export interface FieldLocator {
  readonly file: string;
  at(path: readonly PropertyKey[], key?: string): { line: number; col: number; file?: string };
  error(path: readonly PropertyKey[], message: string, key?: string): Diagnostic;
  warning(path: readonly PropertyKey[], message: string): Diagnostic;
}

/** A YAML document read into plain data, with its locator; `raw` is undefined when it cannot be read. */
export interface YamlRead {
  raw: unknown;
  locator: Locator | null;
  diagnostics: Diagnostic[];
}

/** Reads YAML text into plain data: syntax errors, alias bombs and too deep nesting become diagnostics. */
export function readYaml(text: string, file: string, what = 'the policy'): YamlRead {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const { line, col } = lc.linePos(e.pos[0]);
    const first = e.message.split('\n')[0] ?? e.message;
    const message = /Maximum call stack/.test(first) ? 'the document nests too deeply to be read' : first;
    diagnostics.push({
      severity: doc.errors.includes(e) ? 'error' : 'warning',
      file,
      line,
      col,
      field: '',
      message,
    });
  }
  if (doc.errors.length > 0) return { raw: undefined, diagnostics, locator: null };

  const loc = new Locator(doc, lc, file);
  let raw: unknown;
  try {
    // Aliases are expanded with the yaml library's limit (an alias bomb must not take the machine down).
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const why = /alias/i.test((e as Error).message)
      ? 'its YAML aliases expand into too much data (an alias bomb?); write the values out instead of *aliases'
      : /Maximum call stack/.test((e as Error).message)
        ? 'it nests too deeply to be read'
        : (e as Error).message;
    diagnostics.push({
      severity: 'error',
      file,
      line: 1,
      col: 1,
      field: '',
      message: `${what} cannot be read: ${why}`,
    });
    return { raw: undefined, diagnostics, locator: loc };
  }
  if (raw === null || raw === undefined) {
    diagnostics.push({ severity: 'error', file, line: 1, col: 1, field: '', message: `${what} is empty` });
    return { raw: undefined, diagnostics, locator: loc };
  }
  return { raw, diagnostics, locator: loc };
}

export function parsePolicyText(text: string, file: string): ParsedPolicy {
  const read = readYaml(text, file);
  if (read.raw === undefined) return { policy: null, diagnostics: read.diagnostics, locator: read.locator };
  return { ...validatePolicy(read.raw, read.locator!, read.diagnostics), locator: read.locator };
}

/** Validates plain policy data against the schema and the semantic checks, locating every problem. */
export function validatePolicy(
  raw: unknown,
  loc: FieldLocator,
  earlier: Diagnostic[] = [],
): { policy: Policy | null; diagnostics: Diagnostic[] } {
  const diagnostics = [...earlier];
  let result: ReturnType<typeof policySchema.safeParse>;
  try {
    result = policySchema.safeParse(raw, { reportInput: true });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    diagnostics.push({
      severity: 'error',
      file: loc.file,
      line: 1,
      col: 1,
      field: '',
      message: 'the policy cannot be read: it nests too deeply',
    });
    return { policy: null, diagnostics };
  }
  if (!result.success) {
    diagnostics.push(...result.error.issues.flatMap((issue) => issueToDiagnostics(issue, loc)));
    return { policy: null, diagnostics: sortDiagnostics(diagnostics) };
  }
  diagnostics.push(...checkSemantics(result.data, loc));
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { policy: failed ? null : result.data, diagnostics: sortDiagnostics(diagnostics) };
}

/** Zod issues of any schema as located diagnostics. */
export function issuesToDiagnostics(issues: z.core.$ZodIssue[], loc: FieldLocator): Diagnostic[] {
  return issues.flatMap((issue) => issueToDiagnostics(issue, loc));
}

function issueToDiagnostics(issue: z.core.$ZodIssue, loc: FieldLocator): Diagnostic[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) =>
      loc.error(issue.path, `unknown field (allowed fields are listed in schema/policy.v1.json)`, k),
    );
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [loc.error(issue.path, `required field is missing`)];
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && !message.startsWith('expected')) {
    message = `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  return [loc.error(issue.path, message)];
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
