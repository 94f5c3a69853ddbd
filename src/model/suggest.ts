// "Did you mean …?": the closest known name to a misspelt one (Damerau-Levenshtein over canonical forms).
import { canonical } from './identity.ts';

/** Edit distance: insertions, deletions, substitutions and adjacent transpositions (Damerau-Levenshtein). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The known name closest to `name` (fewest edits, then the longest shared prefix), or null when none is
 * close: within half the longer name's length, or sharing a prefix of four characters or more
 * (`jira-admins-typo` → `jira-administrators`).
 */
export function closest(name: string, known: Iterable<string>): string | null {
  const target = canonical(name);
  let best: { name: string; d: number; prefix: number } | null = null;
  for (const k of known) {
    const key = canonical(k);
    if (key === target) return k;
    const d = editDistance(target, key);
    const prefix = commonPrefix(target, key);
    if (d > Math.ceil(Math.max(target.length, key.length) / 2) && prefix < 4) continue;
    if (
      !best ||
      d < best.d ||
      (d === best.d && prefix > best.prefix) ||
      (d === best.d && prefix === best.prefix && k < best.name)
    )
      best = { name: k, d, prefix };
  }
  return best?.name ?? null;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const c = closest(name, known);
  return c ? ` (did you mean "${c}"?)` : '';
}
