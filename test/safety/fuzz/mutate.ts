// Seeded mutations for the fuzz tests: of text (truncation, dropped and duplicated lines, huge strings, control
// characters, very long documents) and of JSON values (wrong types, huge strings, deep nesting, duplicate
// keys), plus the YAML specials (anchors and alias bombs) and pathological glob patterns.
import { mulberry32, type Random } from '../../../src/sandbox/prng.ts';

export const HUGE = 'x'.repeat(30_000);
export const BACKTRACKING_GLOB = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
const CONTROL = ['\u0000', '\u001b[2J', '\r', '\u202e', '\u2028', '\ufeff', '\ud800'];

export function rng(seed: number): Random & { int(n: number): number; pick<T>(xs: readonly T[]): T } {
  const r = mulberry32(seed) as Random & { int(n: number): number; pick<T>(xs: readonly T[]): T };
  r.int = (n) => Math.floor(r() * n);
  r.pick = (xs) => xs[r.int(xs.length)]!;
  return r;
}

type R = ReturnType<typeof rng>;

const lines = (t: string) => t.split('\n');

/** Text mutations any format gets. */
export const TEXT_MUTATIONS: Record<string, (text: string, r: R) => string> = {
  truncate: (t, r) => t.slice(0, r.int(t.length)),
  'drop a line': (t, r) => {
    const l = lines(t);
    l.splice(r.int(l.length), 1);
    return l.join('\n');
  },
  'duplicate a line': (t, r) => {
    const l = lines(t);
    const i = r.int(l.length);
    l.splice(i, 0, l[i]!);
    return l.join('\n');
  },
  'huge string': (t, r) => {
    const at = r.int(t.length);
    return t.slice(0, at) + HUGE + t.slice(at);
  },
  'control characters': (t, r) => {
    const at = r.int(t.length);
    return t.slice(0, at) + r.pick(CONTROL) + t.slice(at);
  },
  'very long document': (t, r) => {
    const l = lines(t);
    const i = r.int(l.length);
    return [...l.slice(0, i), ...Array<string>(1000).fill(l[i]!), ...l.slice(i)].join('\n');
  },
  'flip a character': (t, r) => {
    const at = r.int(t.length);
    return t.slice(0, at) + String.fromCharCode(r.int(0x3000)) + t.slice(at + 1);
  },
};

/** YAML-specific: anchors and alias bombs, deep nesting, wrong types, backtracking globs, duplicate keys. */
export const YAML_MUTATIONS: Record<string, (text: string, r: R) => string> = {
  ...TEXT_MUTATIONS,
  'alias bomb': (t) =>
    `${t}\nbomb:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
  'anchor and merge key': (t) =>
    `${t}\nextra: &x { mode: exact, members: [a] }\ngroups2: { <<: *x, k: *x }\n`,
  'deep nesting': (t, r) => {
    const depth = 2000 + r.int(20_000);
    return `${t}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  },
  'deep mapping': (t, r) => {
    const depth = 1000 + r.int(5000);
    return `${t}\ndeep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
  },
  'wrong type': (t, r) => {
    const l = lines(t);
    const candidates = l.map((x, i) => [x, i] as const).filter(([x]) => /:\s*\S/.test(x));
    if (candidates.length === 0) return t;
    const [line, i] = r.pick(candidates);
    l[i] = line.replace(
      /:\s*\S.*$/,
      `: ${r.pick(['[]', '{}', 'null', '12', 'true', '"str"', '-1', '1e400', '!!binary aGVsbG8=', '~', '.nan'])}`,
    );
    return l.join('\n');
  },
  'backtracking glob': (t, r) => {
    const l = lines(t);
    const candidates = l.map((x, i) => [x, i] as const).filter(([x]) => /\[[^\]]*\w[^\]]*\]/.test(x));
    if (candidates.length === 0) return `${t}\nprotect: { users: ["${BACKTRACKING_GLOB}"] }\n`;
    const [line, i] = r.pick(candidates);
    l[i] = line.replace(
      /\[[^\]]*\]/,
      `["${BACKTRACKING_GLOB}", "${'?'.repeat(5000)}", "${'*'.repeat(5000)}x"]`,
    );
    return l.join('\n');
  },
  'duplicate key': (t, r) => {
    const l = lines(t);
    const keys = l.map((x, i) => [x, i] as const).filter(([x]) => /^\s*[\w-]+:/.test(x));
    if (keys.length === 0) return t;
    const [line, i] = r.pick(keys);
    l.splice(i, 0, line);
    return l.join('\n');
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function paths(
  v: Json,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (out.length > 5000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: Json, at: (string | number)[], value: Json | undefined): Json {
  if (at.length === 0) return value ?? null;
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = at[at.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

function getAt(root: Json, at: (string | number)[]): Json {
  let node: Json = root;
  for (const k of at) node = (node as Record<string | number, Json>)[k] as Json;
  return node;
}

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A value of another JSON type than `v`. */
function otherType(v: Json, r: R): Json {
  const options: Json[] = [null, true, 0, -1, 1e308, 'str', '', [], {}, ['x'], { a: 1 }];
  const other = options.filter((o) => typeOf(o) !== typeOf(v));
  return r.pick(other);
}

/** JSON mutations, at a random path of the value (text-level ones too: truncation, duplicate keys). */
export const JSON_MUTATIONS: Record<string, (text: string, r: R) => string> = {
  truncate: TEXT_MUTATIONS.truncate!,
  'huge string in text': TEXT_MUTATIONS['huge string']!,
  'wrong type': (t, r) => {
    const v = JSON.parse(t) as Json;
    const at = r.pick(paths(v));
    return JSON.stringify(setAt(v, at, otherType(getAt(v, at), r)));
  },
  'missing field': (t, r) => {
    const v = JSON.parse(t) as Json;
    const ps = paths(v).filter((p) => p.length > 0);
    return ps.length ? JSON.stringify(setAt(v, r.pick(ps), undefined)) : t;
  },
  'huge string': (t, r) => {
    const v = JSON.parse(t) as Json;
    const ps = paths(v).filter((p) => typeof getAt(v, p) === 'string');
    return ps.length ? JSON.stringify(setAt(v, r.pick(ps), HUGE)) : t;
  },
  'deep nesting': (t, r) => {
    const v = JSON.parse(t) as Json;
    const depth = 5000 + r.int(100_000);
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const marker = '"__deep__"';
    return JSON.stringify(setAt(v, r.pick(paths(v)), '__deep__')).replace(marker, deep);
  },
  'duplicate key': (t, r) => {
    // `{"k": <other>, "k": <original>}`: parsers keep the last; a careless one would not.
    const i = t.indexOf('{"');
    if (i < 0) return t;
    const end = t.indexOf('":', i);
    const key = t.slice(i + 1, end + 1);
    return `${t.slice(0, i + 1)}${key}:${JSON.stringify(otherType('x', r))},${t.slice(i + 1)}`;
  },
  'control characters': (t, r) => {
    const v = JSON.parse(t) as Json;
    const ps = paths(v).filter((p) => typeof getAt(v, p) === 'string');
    return ps.length ? JSON.stringify(setAt(v, r.pick(ps), `a${r.pick(CONTROL)}b`)) : t;
  },
};

/** Picks a mutation by seed; returns its name and the mutated text. */
export function mutate(
  text: string,
  seed: number,
  table: Record<string, (text: string, r: R) => string>,
): { name: string; text: string } {
  const r = rng(seed);
  const name = r.pick(Object.keys(table));
  let out: string;
  try {
    out = table[name]!(text, r);
  } catch {
    out = text;
  }
  return { name, text: out };
}
