/**
 * Past-due handling as the runtime's `ScheduleMonitor.CheckPastDueAsync` and `TimerListener` do
 * it: the status a timer keeps between runs, and what it means when the host starts.
 */

import { DAY_MS } from '../../timespan';
import { ConstantSchedule } from './constant-schedule';
import { CronSchedule } from './cron-schedule';
import type { Schedule } from './schedule';
import { formatInZone, resolveZone, utcZone } from './time-zones';

/**
 * The runtime's `ScheduleStatus`, as stored by its schedule monitor and handed to the function
 * (`timer.scheduleStatus`): ISO-8601 strings. `Last` is `0001-01-01T00:00:00+00:00` (see
 * {@link NEVER}) until the timer has fired.
 */
export interface ScheduleStatus {
  /** When the timer last fired (the invocation time, or the occurrence it stood for). */
  Last: string;
  /** The occurrence the timer is waiting for. */
  Next: string;
  /** When `Next` was last computed. */
  LastUpdated: string;
}

/** .NET's `default(DateTimeOffset)`, the runtime's "never" in a schedule status. */
export const NEVER = new Date(-62135596800000); // 0001-01-01T00:00:00Z

export interface StartupStatus {
  /**
   * True when an occurrence was missed while the host was not running: the runtime then invokes
   * the function once, immediately, with `isPastDue: true` (it does not replay every missed one).
   */
  isPastDue: boolean;
  /** How late the recorded `Next` is (0 when not past due). */
  pastDueMs: number;
  /** The status to keep (and to pass to the past-due invocation). */
  status: ScheduleStatus;
  /** The status differs from the saved one and should be written back (the runtime does). */
  changed: boolean;
}

/**
 * What the runtime computes when a timer starts (`ScheduleMonitor.CheckPastDueAsync`, used only
 * when `useMonitor` is on):
 *
 * - no saved status: a new timer. Record `{ Last: never, Next: next(now), LastUpdated: now }`; not past due.
 * - otherwise recompute the `Next` the saved status should have: `next(Last)` if it has fired,
 *   else `next(LastUpdated)`, else `next(now)`. If that differs from the saved `Next`, the schedule
 *   was edited: reset to `{ Last: never, Next: that, LastUpdated: base }`, recomputing from now if
 *   it is already in the past so an edit never makes a timer past due.
 * - past due iff `now` is later than the (possibly reset) `Next`.
 */
export function computeStartupStatus(saved: ScheduleStatus | null | undefined, now: Date, schedule: Schedule): StartupStatus {
  const nowMs = now.getTime();
  if (!saved) {
    const status = makeStatus(NEVER, schedule.next(now), now, schedule);
    return { isPastDue: false, pastDueMs: 0, status, changed: true };
  }
  const last = readDate(saved.Last);
  const lastUpdated = readDate(saved.LastUpdated);
  const savedNext = readDate(saved.Next);

  let base: Date;
  if (!isNever(last)) base = last;
  else if (!isNever(lastUpdated)) base = lastUpdated;
  else base = now;
  let expected = schedule.next(base);

  let status = saved;
  let changed = false;
  if (savedNext.getTime() !== expected.getTime()) {
    if (nowMs > expected.getTime()) {
      expected = schedule.next(now);
      base = now;
    }
    status = makeStatus(NEVER, expected, base, schedule);
    changed = true;
  }
  const recordedNext = readDate(status.Next).getTime();
  const pastDueMs = nowMs > recordedNext ? nowMs - recordedNext : 0;
  return { isPastDue: pastDueMs > 0, pastDueMs, status, changed };
}

/**
 * The short form: has an occurrence been missed since `lastScheduled` (the status's `Last`; null
 * when the timer never fired, which is never past due)? Equivalent to {@link computeStartupStatus}
 * when the schedule has not been edited.
 */
export function isPastDue(lastScheduled: Date | null, now: Date, schedule: Schedule): boolean {
  if (lastScheduled === null || isNever(lastScheduled)) return false;
  return now.getTime() > schedule.next(lastScheduled).getTime();
}

/**
 * The status the runtime records after an invocation (`TimerListener.InvokeJobFunction`):
 * `Last = LastUpdated = t` and `Next = next(t)`, where `t` is the invocation time, except that a
 * regular (not past-due, not run-on-startup) invocation that fired slightly early uses the
 * scheduled `Next` instead, so the same occurrence is never scheduled twice.
 */
export function statusAfterInvocation(
  current: ScheduleStatus | null | undefined,
  invocationTime: Date,
  schedule: Schedule,
  reason: { isPastDue?: boolean; runOnStartup?: boolean } = {},
): ScheduleStatus {
  let t = invocationTime;
  if (current && !reason.isPastDue && !reason.runOnStartup) {
    const next = readDate(current.Next);
    if (next.getTime() > invocationTime.getTime()) t = next;
  }
  return makeStatus(t, schedule.next(t), t, schedule);
}

/**
 * `useMonitor`'s default: on, except for schedules that fire more than once a minute (a TimeSpan
 * under a minute, or a cron whose only restricted field is the seconds, with several seconds).
 */
export function defaultUseMonitor(schedule: Schedule): boolean {
  if (schedule instanceof ConstantSchedule) return schedule.intervalMs! >= 60_000;
  if (schedule instanceof CronSchedule) return !schedule.firesMoreThanOncePerMinute();
  return true;
}

/** Formats a date as the runtime serialises schedule-status times: local time with its offset. */
export function formatStatusDate(date: Date, timeZone = 'UTC'): string {
  return formatInZone(date, resolveZone(timeZone, undefined));
}

function readDate(value: string | Date | null | undefined): Date {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value === '') return NEVER;
  const d = new Date(value);
  return Number.isFinite(d.getTime()) ? d : NEVER;
}

function isNever(date: Date): boolean {
  // .NET's default(DateTimeOffset) is written in local time, so allow a day either side of it.
  return date.getTime() < NEVER.getTime() + DAY_MS;
}

function makeStatus(last: Date, next: Date, lastUpdated: Date, schedule: Schedule): ScheduleStatus {
  const zone = resolveZone(schedule.timeZone, undefined);
  return {
    Last: isNever(last) ? formatInZone(NEVER, utcZone('UTC')) : formatInZone(last, zone),
    Next: formatInZone(next, zone),
    LastUpdated: isNever(lastUpdated) ? formatInZone(NEVER, utcZone('UTC')) : formatInZone(lastUpdated, zone),
  };
}
