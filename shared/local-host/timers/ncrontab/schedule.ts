/** What a parsed timer schedule offers, whichever kind it is, and the error a bad one raises. */

export class ScheduleExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`The schedule expression '${expression}' is invalid: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

export interface Schedule {
  readonly kind: 'cron' | 'timespan';
  /** The expression as given. */
  readonly expression: string;
  /** The IANA zone the schedule is evaluated in (`UTC` by default). */
  readonly timeZone: string;
  /**
   * The runtime's notion of an "interval" cron schedule (seconds, minutes or hours field has `*`,
   * a range or consecutive values), which changes how ambiguous DST times are handled.
   */
  readonly isInterval: boolean;
  /** What the runtime puts in the timer's `Schedule.AdjustForDST`: true for cron, false for a TimeSpan. */
  readonly adjustForDST: boolean;
  /** The TimeSpan's length in milliseconds (TimeSpan schedules only). */
  readonly intervalMs: number | undefined;
  /**
   * The first occurrence strictly after `after` (whole seconds; a fraction of `after` is dropped,
   * as NCrontab does). Across DST changes it returns what the runtime's `CronSchedule` does:
   * a time inside a spring-forward gap runs at the same wall time shifted past the gap (02:30 -> 03:30);
   * in a fall-back overlap a point-in-time schedule (e.g. `0 30 1 * * *`) runs once, at the first
   * (daylight) occurrence, and an interval schedule (e.g. `0 *\/30 * * * *`) runs through both.
   */
  next(after: Date): Date;
  /** The next `count` occurrences after `after`. */
  nextOccurrences(count: number, after: Date): Date[];
  /** The runtime's description: `Cron: '0 *\/5 * * * *'` or `Constant: 00:05:00`. */
  toString(): string;
}

export function checkDate(date: Date): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new TypeError('A schedule needs a valid Date');
  return ms;
}

/** `count` occurrences, each the next after the previous one. */
export function successive(schedule: Pick<Schedule, 'next'>, count: number, after: Date): Date[] {
  const out: Date[] = [];
  let t = after;
  for (let i = 0; i < count; i++) {
    t = schedule.next(t);
    out.push(t);
  }
  return out;
}
