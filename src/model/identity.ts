// One canonical form for every identity the engine compares: usernames, emails, group and directory names.
// Atlassian products match these case-insensitively; the engine compares canonical forms and displays the
// original spelling (STYLE.md 6). Unicode NFC first, so a composed and a decomposed "é" are one name.

/** ASCII without capital letters: U+0000–U+0040 and U+005B–U+007F. */
const PLAIN = /^[\0-@[-\x7f]*$/;

/** The canonical form of a username, email, group or directory name. */
export function canonical(name: string): string {
  // ASCII without capitals is its own canonical form (most names): no normalising, no new string.
  return PLAIN.test(name) ? name : name.normalize('NFC').toLowerCase();
}

/** True when two names denote the same identity. */
export function sameName(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/**
 * canonical() remembered for the names lists hold — group, directory and product names, a few hundred
 * distinct strings met millions of times in a large plan. Bounded: past MEMO_MAX names it computes.
 */
const MEMO_MAX = 10_000;
const memo = new Map<string, string>();
function canonicalListed(name: string): string {
  let c = memo.get(name);
  if (c === undefined) {
    c = canonical(name);
    if (memo.size < MEMO_MAX) memo.set(name, c);
  }
  return c;
}

/** True when `names` holds `name` (compared canonically). */
export function includesName(names: readonly string[], name: string): boolean {
  if (names.length === 0) return false;
  const key = canonicalListed(name);
  for (const n of names) if (n === name || canonicalListed(n) === key) return true;
  return false;
}

/** Case-insensitive ordering (the plan's order of users) with a tie-break on the original spelling. */
export function compareNames(a: string, b: string): number {
  return canonical(a).localeCompare(canonical(b)) || a.localeCompare(b);
}

/** A map keyed by canonical name that keeps the first spelling it saw. */
export class NameMap<V> {
  private readonly map = new Map<string, { name: string; value: V }>();
  get(name: string): V | undefined {
    return this.map.get(canonical(name))?.value;
  }
  has(name: string): boolean {
    return this.map.has(canonical(name));
  }
  /** The spelling first stored under this name. */
  spelling(name: string): string | undefined {
    return this.map.get(canonical(name))?.name;
  }
  set(name: string, value: V): this {
    const key = canonical(name);
    const prior = this.map.get(key);
    this.map.set(key, { name: prior?.name ?? name, value });
    return this;
  }
  values(): V[] {
    return [...this.map.values()].map((e) => e.value);
  }
  entries(): [string, V][] {
    return [...this.map.values()].map((e) => [e.name, e.value]);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Unique names in first-seen spelling and order. */
export function uniqueNames(names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const key = canonical(n);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}
