// Day arithmetic, defined once for the planner, the reports and `aup list`. Pure.
//
// Days are UTC calendar days. An instant belongs to the UTC date it falls on (a login at
// 2026-09-01T01:00+02:00 is 2026-08-31T23:00Z, so it counts for 2026-08-31), and the days between
// two instants are the days between their UTC dates, whatever the time of day:
//
//   last active 2026-08-31 (any time) → on 2026-11-29 (any time) inactive 90 days.
//
// - A threshold of N days is reached on the Nth UTC date after the date of the last activity (or of
//   the creation, for users who never logged in): `daysBetween(since, now) >= N`. So a nightly run
//   acts on the same date whatever the hour it runs at, and the date a report announces is the date
//   it happens.
// - The upcoming window of W days (`report.upcoming_days`) holds the thresholds reached on one of
//   the next W dates, the last one included: 1 ≤ in-days ≤ W. A threshold reached today is not
//   upcoming: it is in the plan.

export const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, as a day number (days since 1970-01-01). */
export function dayNumber(instant: Date | string | number): number {
  const t =
    instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  return Math.floor(t / DAY_MS);
}

/** UTC calendar days from `from` to `to` (negative when `to` is earlier); NaN for an unreadable date. */
export function daysBetween(from: Date | string | number, to: Date | string | number): number {
  return dayNumber(to) - dayNumber(from);
}

/** YYYY-MM-DD of a day number or of an instant's UTC date. */
export function isoDay(day: number | Date): string {
  const n = day instanceof Date ? dayNumber(day) : day;
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `days` since the last activity reach a threshold of `threshold` days. */
export function reached(days: number, threshold: number): boolean {
  return days >= threshold;
}

/** Whether a threshold reached in `inDays` days falls in an upcoming window of `windowDays` days. */
export function withinUpcoming(inDays: number, windowDays: number): boolean {
  return inDays >= 1 && inDays <= windowDays;
}
