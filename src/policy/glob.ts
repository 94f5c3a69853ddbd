// Case-insensitive name/email patterns: `*` matches any run of characters, `?` one character.
//
// Matched without RegExp: a policy arrives in a pull request, and a pattern such as `*a*a*a*a*a*b` compiled
// to `^.*a.*a.*a.*a.*a.*b$` backtracks in polynomial time of degree the number of stars on a long value —
// validating or planning a policy must not hang CI. The pattern is split at its stars; the first and the
// last piece are anchored, every piece between is placed at its leftmost match (greedy leftmost placement
// is optimal for `*`), so no position is ever revisited: at most |value| × |piece| comparisons per piece,
// |pattern| × |value| in all, and nothing at all when the pattern's fixed characters outnumber the value's.
import { canonical } from '../model/identity.ts';

/** A pattern split at its stars, case-folded, as code points (`?` matches one code point). */
export interface CompiledGlob {
  /** Pieces between stars; one piece = no star. */
  pieces: string[][];
  /** Fixed (non-star) code points: a value shorter than this cannot match. */
  fixed: number;
}

export function hasWildcards(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function compileGlob(pattern: string): CompiledGlob {
  const pieces = canonical(pattern)
    .split('*')
    .map((p) => Array.from(p));
  return { pieces, fixed: pieces.reduce((n, p) => n + p.length, 0) };
}

/** Counts comparisons, for tests that prove the bound (no timing involved). */
export interface GlobCounter {
  steps: number;
}

function pieceAt(piece: string[], value: string[], at: number, counter?: GlobCounter): boolean {
  for (let i = 0; i < piece.length; i++) {
    if (counter) counter.steps++;
    const c = piece[i];
    if (c !== '?' && c !== value[at + i]) return false;
  }
  return true;
}

/** True when `value` matches the compiled pattern, case-insensitively. */
export function matchCompiled(glob: CompiledGlob, raw: string, counter?: GlobCounter): boolean {
  const value = Array.from(canonical(raw));
  const { pieces } = glob;
  if (glob.fixed > value.length) return false;
  const first = pieces[0]!;
  if (pieces.length === 1) return first.length === value.length && pieceAt(first, value, 0, counter);
  const last = pieces[pieces.length - 1]!;
  if (!pieceAt(first, value, 0, counter)) return false;
  const end = value.length - last.length;
  if (!pieceAt(last, value, end, counter)) return false;
  let pos = first.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k]!;
    if (piece.length === 0) continue;
    let found = -1;
    for (let i = pos; i + piece.length <= end; i++) {
      if (pieceAt(piece, value, i, counter)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + piece.length;
  }
  return pos <= end;
}

/** True when `value` matches `pattern` (`*`, `?`), case-insensitively. */
export function globMatches(pattern: string, value: string): boolean {
  return matchCompiled(compileGlob(pattern), value);
}

/** A compiled list of patterns; plain names compare case-folded without a RegExp. */
export class Matcher {
  private readonly exact = new Set<string>();
  private readonly patterns: CompiledGlob[] = [];
  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      if (hasWildcards(p)) this.patterns.push(compileGlob(p));
      else this.exact.add(canonical(p));
    }
  }
  get empty(): boolean {
    return this.exact.size === 0 && this.patterns.length === 0;
  }
  matches(value: string | null | undefined): boolean {
    if (!value) return false;
    if (this.exact.has(canonical(value))) return true;
    return this.patterns.some((g) => matchCompiled(g, value));
  }
  /** True when any of the values matches (a user's username or email). */
  matchesAny(...values: (string | null | undefined)[]): boolean {
    return values.some((v) => this.matches(v));
  }
}
