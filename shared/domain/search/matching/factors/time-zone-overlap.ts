import { countryOffsetHours, formatOffset, utcOffsetHours } from './time-zones';
import type { Factor } from './factor';

/** Both sides are assumed to work an eight-hour day starting at the same local hour. */
const WORKDAY_HOURS = 8;

/** How much of the buyer's working day the expert shares, from the zones' offsets. */
export const timeZoneOverlap: Factor = (expert, context) => {
  if (!context.need.country) return undefined;
  const buyer = countryOffsetHours(context.need.country, context.now);
  if (buyer === undefined) return undefined;
  const theirs = utcOffsetHours(expert.timeZone, context.now);
  const apart = Math.abs(theirs - buyer) % 24;
  const overlap = Math.max(0, WORKDAY_HOURS - Math.min(apart, 24 - apart));
  const score = overlap / WORKDAY_HOURS;
  if (apart <= 1) return { score, reason: 'works in your time zone' };
  if (overlap >= 4) return { score, reason: `${Math.round(overlap)} hours of your working day overlap (${formatOffset(theirs)})` };
  if (overlap === 0) return { score, caution: `no overlap with your working hours (${formatOffset(theirs)} vs your ${formatOffset(buyer)})` };
  return { score };
};
