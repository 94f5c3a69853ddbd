// Counts in words, for every message and report: "1 group", "2 groups", "1,234 users", "today".
// One helper, so no renderer prints "1 groups" or "0 days ago". Pure.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Integers with thousands separators, fixed locale so output does not depend on the machine. */
export function formatInt(n: number): string {
  // A shared formatter: toLocaleString builds one per call, which dominated large reports.
  return INT.format(n);
}

/** "0 groups", "1 group", "2 groups", "1,234 groups"; `many` for irregular plurals ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/** "today" (the same UTC date), "1 day ago", "12 days ago"; "in 3 days" for a date ahead (clock skew). */
export function daysAgo(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `${plural(days, 'day')} ago` : `in ${plural(-days, 'day')}`;
}
