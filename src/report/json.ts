// plan.json: the Plan as stable, pretty JSON. Pure.
import type { Plan } from '../model.ts';

/** Keys that identify an object are written first, for the reader; the rest follow sorted. */
const LEADING_KEYS = ['formatVersion', 'kind', 'type', 'name', 'user', 'userId'];

/** A total order on keys, so equal plans give byte-equal files. */
function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareKeys(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/**
 * The plan as JSON with 2-space indentation and a trailing newline. Object keys are sorted
 * (identifying keys such as formatVersion and kind first) so the bytes depend only on the plan's content, not on the order its
 * fields were built in; array order (the plan's order) is kept.
 */
export function planJson(plan: Plan): string {
  return `${JSON.stringify(sortKeys(plan), null, 2)}\n`;
}
