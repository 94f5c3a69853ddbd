// "Did you mean …?": the closest of a few known names to a mistyped one (commands, options). Stricter than the
// policy's name suggestions (model/suggest.ts): a command line has few candidates and short words.
import { editDistance } from '../model/suggest.ts';

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
