import { tryParseTimeSpan } from '../../timespan';
import { ConstantSchedule } from './constant-schedule';
import { parseFields } from './cron-fields';
import { CronSchedule } from './cron-schedule';
import { type Schedule, ScheduleExpressionError } from './schedule';
import { resolveZone } from './time-zones';

export interface ParseScheduleOptions {
  /** IANA time zone the NCRONTAB fields are read in (default `UTC`). */
  timeZone?: string;
  /**
   * Accept classic five-field crontab (no seconds, seconds = 0). The runtime itself does (NCrontab
   * is called without seconds when there are exactly five fields), but Microsoft documents six
   * fields, so by default five are rejected with a message that says so.
   */
  allowFiveFields?: boolean;
  /** Accept a TimeSpan interval such as `00:05:00` (default true; Azure allows it on App Service plans). */
  allowTimeSpan?: boolean;
}

/**
 * Parses a timer trigger's `schedule`. Throws a {@link ScheduleExpressionError} naming the expression.
 */
export function parseSchedule(expression: string, options: ParseScheduleOptions = {}): Schedule {
  const zone = resolveZone(options.timeZone, expression);
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ScheduleExpressionError(String(expression ?? ''), 'it is empty; give a six-field NCRONTAB expression such as "0 */5 * * * *"');
  }
  // NCrontab splits on spaces only (tabs are not separators).
  const tokens = expression.split(' ').filter((token) => token.length > 0);
  if (tokens.length === 6 || (tokens.length === 5 && options.allowFiveFields)) {
    return new CronSchedule(expression, parseFields(expression, tokens), zone);
  }
  if (tokens.length === 5) {
    throw new ScheduleExpressionError(
      expression,
      `it has five fields, but an NCRONTAB expression needs six: {second} {minute} {hour} {day} {month} {day-of-week}. Add the seconds first, e.g. '0 ${tokens.join(' ')}'.`,
    );
  }
  if (options.allowTimeSpan !== false) {
    const interval = tryParseTimeSpan(expression);
    if (interval !== null) {
      if (interval <= 0) {
        throw new ScheduleExpressionError(expression, 'a TimeSpan schedule must be a positive interval');
      }
      return new ConstantSchedule(expression, interval, zone);
    }
  }
  throw new ScheduleExpressionError(
    expression,
    `it is neither an NCRONTAB expression (six space-separated fields: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. "0 */5 * * * *"; it has ${tokens.length}) ` +
      `nor a TimeSpan such as "00:05:00"`,
  );
}
