// `extends`: fragments of common rules merged into the policies that name them. Paths are relative to the
// including file; a fragment may extend others (a chain), a cycle is reported with the chain. The including file
// wins on conflicts. Every merged value keeps where it came from, so a problem is reported at the file and line
// that wrote it. Pure: files are read through the caller's reader.
import path from 'node:path';
import { canonical } from '../model/identity.ts';
import type { Diagnostic } from './diagnostics.ts';
import { type FieldLocator, issuesToDiagnostics, type Locator, readYaml } from './parse.ts';
import { FRAGMENT_KEYS, fragmentSchema } from './schema.ts';

export type FileReader = (file: string) => Promise<string>;

type Raw = Record<string, unknown>;
type Field = (string | number)[];
interface Origin {
  loc: Locator;
  path: Field;
}

/** One file's data with where each mergeable entry came from (merged path → origin). */
interface Layer {
  raw: Raw;
  origins: Map<string, Origin>;
}

/** What resolving the fragments gave: the merged data, its locator, the fragments read (path and text). */
export interface Extended {
  raw: Raw;
  locator: FieldLocator;
  fragments: { file: string; text: string }[];
  diagnostics: Diagnostic[];
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `extends` value as a list of paths ([] when absent or not paths: the schema reports that). */
function extendsOf(raw: Raw): { value: string; index: number | null }[] {
  const v = raw.extends;
  if (typeof v === 'string') return [{ value: v, index: null }];
  if (Array.isArray(v)) return v.flatMap((x, index) => (typeof x === 'string' ? [{ value: x, index }] : []));
  return [];
}

/** A fragment's path as the including file names it, relative to the working directory, `/`-separated. */
export function fragmentPath(including: string, named: string): string {
  const joined = path.posix.join(
    path.posix.dirname(including.replace(/\\/g, '/')),
    named.replace(/\\/g, '/'),
  );
  return path.posix.normalize(joined);
}

/**
 * Merges the fragments `raw` extends (and theirs) under it. Diagnostics are located in the file that holds the
 * problem; on errors, `raw` is the including file's own data.
 */
export async function resolveExtends(
  raw: Raw,
  file: string,
  loc: Locator,
  read: FileReader,
): Promise<Extended> {
  const diagnostics: Diagnostic[] = [];
  const fragments: { file: string; text: string }[] = [];
  const layer = await resolveLayer(raw, file, loc, read, [file], diagnostics, fragments, new Map());
  return { raw: layer.raw, locator: new MergedLocator(loc, layer.origins), fragments, diagnostics };
}

async function resolveLayer(
  raw: Raw,
  file: string,
  loc: Locator,
  read: FileReader,
  chain: string[],
  diagnostics: Diagnostic[],
  fragments: { file: string; text: string }[],
  cache: Map<string, string>,
): Promise<Layer> {
  let merged: Layer = { raw: {}, origins: new Map() };
  for (const { value, index } of extendsOf(raw)) {
    const at: Field = index === null ? ['extends'] : ['extends', index];
    const target = fragmentPath(file, value);
    if (chain.includes(target)) {
      diagnostics.push(
        loc.error(at, `extends cycle: ${[...chain.slice(chain.indexOf(target)), target].join(' → ')}`),
      );
      continue;
    }
    let text = cache.get(target);
    if (text === undefined) {
      try {
        text = await read(target);
      } catch (e) {
        diagnostics.push(loc.error(at, `reading the fragment ${target}: ${(e as Error).message}`));
        continue;
      }
      cache.set(target, text);
      fragments.push({ file: target, text });
    }
    const fragment = readFragment(text, target, diagnostics);
    if (!fragment) continue;
    const inner = await resolveLayer(
      fragment.raw,
      target,
      fragment.loc,
      read,
      [...chain, target],
      diagnostics,
      fragments,
      cache,
    );
    merged = mergeLayers(merged, inner);
  }
  return mergeLayers(merged, ownLayer(raw, loc));
}

/** Reads and checks one fragment; null (with diagnostics) when it cannot be used. */
function readFragment(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
): { raw: Raw; loc: Locator } | null {
  const read = readYaml(text, file, 'the fragment');
  diagnostics.push(...read.diagnostics);
  if (read.raw === undefined || !read.locator) return null;
  const loc = read.locator;
  if (!isObject(read.raw)) {
    diagnostics.push(loc.error([], 'a fragment is a mapping of policy keys'));
    return null;
  }
  let ok = true;
  for (const key of Object.keys(read.raw)) {
    if ((FRAGMENT_KEYS as readonly string[]).includes(key)) continue;
    ok = false;
    diagnostics.push(
      loc.error(
        [],
        `a fragment may hold only ${FRAGMENT_KEYS.join(', ')}; ${key} belongs to each policy that extends it`,
        key,
      ),
    );
  }
  const result = fragmentSchema.safeParse(read.raw, { reportInput: true });
  if (!result.success) {
    ok = false;
    diagnostics.push(
      ...issuesToDiagnostics(
        result.error.issues.filter((i) => i.code !== 'unrecognized_keys' || i.path.length > 0),
        loc,
      ),
    );
  }
  return ok ? { raw: read.raw, loc } : null;
}

/** A file's own data as a layer: every mergeable entry comes from where it is written. */
function ownLayer(raw: Raw, loc: Locator): Layer {
  const origins = new Map<string, Origin>();
  const note = (field: Field) => origins.set(key(field), { loc, path: field });
  const protect = raw.protect;
  if (isObject(protect))
    for (const list of ['users', 'groups'])
      if (Array.isArray(protect[list]))
        (protect[list] as unknown[]).forEach((_, i) => note(['protect', list, i]));
  for (const list of ['exceptions', 'inactivity'])
    if (Array.isArray(raw[list])) (raw[list] as unknown[]).forEach((_, i) => note([list, i]));
  for (const obj of ['limits', 'report'])
    if (isObject(raw[obj])) for (const k of Object.keys(raw[obj])) note([obj, k]);
  if ('reactivation_cooldown_days' in raw) note(['reactivation_cooldown_days']);
  return { raw, origins };
}

const key = (field: Field): string => field.join('\u0000');

/** `upper` over `lower`: lists joined (an upper entry replaces a lower one for the same user or rule), keys replaced. */
function mergeLayers(lower: Layer, upper: Layer): Layer {
  const raw: Raw = { ...lower.raw, ...upper.raw };
  const origins = new Map<string, Origin>();
  const from = (layer: Layer, field: Field) => layer.origins.get(key(field));
  const put = (field: Field, o: Origin | undefined) => {
    if (o) origins.set(key(field), o);
  };

  // protect.users / protect.groups: the union, each name once.
  const lp = lower.raw.protect;
  const up = upper.raw.protect;
  if (isObject(lp) && (isObject(up) || up === undefined)) {
    const protect: Raw = { ...lp, ...(up ?? {}) };
    for (const list of ['users', 'groups']) {
      const a = Array.isArray(lp[list]) ? (lp[list] as unknown[]) : [];
      const b = up && Array.isArray(up[list]) ? (up[list] as unknown[]) : [];
      if (!Array.isArray(lp[list]) && !(up && Array.isArray(up[list]))) continue;
      const out: unknown[] = [];
      const seen = new Set<string>();
      const add = (layer: Layer, v: unknown, i: number) => {
        const k = typeof v === 'string' ? canonical(v) : JSON.stringify(v);
        if (seen.has(k)) return;
        seen.add(k);
        put(['protect', list, out.length], from(layer, ['protect', list, i]));
        out.push(v);
      };
      a.forEach((v, i) => add(lower, v, i));
      b.forEach((v, i) => add(upper, v, i));
      protect[list] = out;
    }
    raw.protect = protect;
  } else keepOrigins(up === undefined ? lower : upper, ['protect'], origins);

  // exceptions (per user) and inactivity rules (per name): the upper entry replaces the lower one.
  for (const [list, id] of [
    ['exceptions', 'user'],
    ['inactivity', 'name'],
  ] as const) {
    const a = lower.raw[list];
    const b = upper.raw[list];
    if (Array.isArray(a) && (Array.isArray(b) || b === undefined)) {
      const ids = new Set((b ?? []).map((e) => idOf(e, id)).filter((x) => x !== null));
      const out: unknown[] = [];
      a.forEach((e, i) => {
        const k = idOf(e, id);
        if (k !== null && ids.has(k)) return;
        put([list, out.length], from(lower, [list, i]));
        out.push(e);
      });
      (b ?? []).forEach((e, i) => {
        put([list, out.length], from(upper, [list, i]));
        out.push(e);
      });
      raw[list] = out;
    } else keepOrigins(b === undefined ? lower : upper, [list], origins);
  }

  // limits and report: key by key.
  for (const obj of ['limits', 'report']) {
    const a = lower.raw[obj];
    const b = upper.raw[obj];
    if (isObject(a) && (isObject(b) || b === undefined)) {
      raw[obj] = { ...a, ...(b ?? {}) };
      for (const k of Object.keys(a)) if (!b || !(k in b)) put([obj, k], from(lower, [obj, k]));
      for (const k of Object.keys(b ?? {})) put([obj, k], from(upper, [obj, k]));
    } else keepOrigins(b === undefined ? lower : upper, [obj], origins);
  }
  keepOrigins(
    'reactivation_cooldown_days' in upper.raw ? upper : lower,
    ['reactivation_cooldown_days'],
    origins,
  );
  return { raw, origins };
}

function idOf(entry: unknown, id: string): string | null {
  return isObject(entry) && typeof entry[id] === 'string' ? canonical(entry[id]) : null;
}

/** Copies the origins under `prefix` from one layer unchanged. */
function keepOrigins(layer: Layer, prefix: Field, into: Map<string, Origin>): void {
  const p = key(prefix);
  for (const [k, o] of layer.origins) if (k === p || k.startsWith(`${p}\u0000`)) into.set(k, o);
}

/** Locates a field of the merged policy in the file that wrote it (the including file for the rest). */
export class MergedLocator implements FieldLocator {
  readonly file: string;
  private readonly main: Locator;
  private readonly origins: Map<string, Origin>;
  constructor(main: Locator, origins: Map<string, Origin>) {
    this.main = main;
    this.file = main.file;
    this.origins = origins;
  }

  private resolve(path: readonly PropertyKey[]): { loc: Locator; path: PropertyKey[] } {
    const segs = path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Field;
    for (let n = Math.min(3, segs.length); n >= 1; n--) {
      const o = this.origins.get(key(segs.slice(0, n)));
      if (o) return { loc: o.loc, path: [...o.path, ...segs.slice(n)] };
    }
    return { loc: this.main, path: segs };
  }

  at(path: readonly PropertyKey[], key?: string): { line: number; col: number; file: string } {
    const r = this.resolve(path);
    return { ...r.loc.at(r.path, key), file: r.loc.file };
  }

  error(path: readonly PropertyKey[], message: string, key?: string): Diagnostic {
    const r = this.resolve(path);
    return r.loc.error(r.path, message, key);
  }

  warning(path: readonly PropertyKey[], message: string): Diagnostic {
    return { ...this.error(path, message), severity: 'warning' };
  }
}

/**
 * Which of `files` are fragments of others among them (directly or through a chain): fragment → the files that
 * name it. A glob such as `policies/**\/*.yml` matches fragments too; they are checked and planned with the
 * policies that extend them, not as policies of their own. Files that cannot be read or parsed name nothing.
 */
export async function fragmentsAmong(
  files: readonly string[],
  read: FileReader,
): Promise<Map<string, string[]>> {
  const norm = (f: string) => path.posix.normalize(f.replace(/\\/g, '/'));
  const given = new Set(files.map(norm));
  const namedBy = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const queue = files.map((f) => ({ file: norm(f), root: norm(f) }));
  while (queue.length > 0) {
    const { file, root } = queue.shift()!;
    const key = `${root}\u0000${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let raw: unknown;
    try {
      raw = readYaml(await read(file), file).raw;
    } catch {
      continue;
    }
    if (!isObject(raw)) continue;
    for (const { value } of extendsOf(raw)) {
      const target = fragmentPath(file, value);
      if (target === root) continue;
      if (!namedBy.has(target)) namedBy.set(target, new Set());
      namedBy.get(target)!.add(root);
      queue.push({ file: target, root });
    }
  }
  // A file counts as a fragment when a given file that is no fragment itself extends it (files that only extend
  // each other, a cycle, stay policies: loading them reports the cycle).
  const out = new Map<string, string[]>();
  for (const f of files) {
    const by = [...(namedBy.get(norm(f)) ?? [])].filter((r) => given.has(r) && !namedBy.has(r)).sort();
    if (by.length > 0) out.set(f, by);
  }
  return out;
}
