// "Did you mean …?": the closest of a few known names to a mistyped one (commands, options).

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
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

/**
 * The candidate closest to `input`, when it is close enough to be what was meant: a prefix of it
 * (`--pol` → `--policy`), or at most a third of its letters away (at least 2). Undefined otherwise.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  if (typed.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(typed));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const distance = editDistance(typed, c.toLowerCase());
    if (!best || distance < best.distance) best = { name: c, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.name : undefined;
}
