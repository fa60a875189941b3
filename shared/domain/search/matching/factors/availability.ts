import { dayIn } from './time-zones';
import type { Factor } from './factor';

/** Days with hours wanted before a deadline for full marks (or every day left, if fewer). */
const WANTED_DAYS = 3;
/** Looks at most this far ahead; a deadline further away is simply "available". */
const HORIZON_DAYS = 62;

/**
 * Whether the expert has working days between their today (in their own time zone) and the
 * deadline: weekdays with hours, minus dates they marked unavailable.
 */
export const availabilityBeforeDeadline: Factor = (expert, context) => {
  const deadline = context.need.deadline;
  if (!deadline) return undefined;
  const from = Date.parse(`${dayIn(expert.timeZone, context.now)}T00:00:00Z`);
  const end = Date.parse(`${deadline}T00:00:00Z`);
  let window = 0;
  let open = 0;
  // Weekdays by arithmetic; a date string only for experts who marked days off.
  for (let day = from, weekday = new Date(from).getUTCDay(); day <= end && window < HORIZON_DAYS; day += 86_400_000, weekday = (weekday + 1) % 7, window++) {
    if (expert.weekdays.includes(weekday) && (expert.unavailableDates.length === 0 || !expert.unavailableDates.includes(new Date(day).toISOString().slice(0, 10)))) open++;
  }
  if (open === 0) return { score: 0, caution: `no working days before your deadline (${deadline})` };
  return { score: Math.min(1, open / Math.min(WANTED_DAYS, window)), reason: `available before your deadline (${open} working ${open === 1 ? 'day' : 'days'} by ${deadline})` };
};
