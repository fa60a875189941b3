/** Gregorian calendar facts that both the route constraints and the timer schedules need. */

/** The most days each month can have (29 in February). */
export const MAX_DAYS_IN_MONTH: readonly number[] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`, with the Gregorian leap-year rule. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return MAX_DAYS_IN_MONTH[month - 1];
}
