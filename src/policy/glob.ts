// Case-insensitive name/email patterns: `*` matches any run of characters, `?` one character.
import { canonical } from '../model/identity.ts';

export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** A compiled list of patterns; plain names compare case-folded without a RegExp. */
export class Matcher {
  private readonly exact = new Set<string>();
  private readonly patterns: RegExp[] = [];
  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      if (p.includes('*') || p.includes('?')) this.patterns.push(globToRegExp(p));
      else this.exact.add(canonical(p));
    }
  }
  get empty(): boolean {
    return this.exact.size === 0 && this.patterns.length === 0;
  }
  matches(value: string | null | undefined): boolean {
    if (!value) return false;
    if (this.exact.has(canonical(value))) return true;
    return this.patterns.some((re) => re.test(value));
  }
  /** True when any of the values matches (a user's username or email). */
  matchesAny(...values: (string | null | undefined)[]): boolean {
    return values.some((v) => this.matches(v));
  }
}
