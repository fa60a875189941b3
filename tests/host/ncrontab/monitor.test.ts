import { describe, expect, it } from 'vitest';
import {
  computeStartupStatus,
  defaultUseMonitor,
  formatStatusDate,
  isPastDue,
  NEVER,
  parseSchedule,
  type ScheduleStatus,
  statusAfterInvocation,
} from '../../../shared/local-host/timers/ncrontab/index';
import { at } from './schedules';

describe('status times', () => {
  it.each<[Date, string | undefined, string]>([
    [at('2024-01-15T14:30:00Z'), 'America/New_York', '2024-01-15T09:30:00-05:00'],
    [at('2016-10-04T10:15:00Z'), undefined, '2016-10-04T10:15:00+00:00'],
    [at('2016-10-04T10:15:00.250Z'), undefined, '2016-10-04T10:15:00.25+00:00'],
    [NEVER, undefined, '0001-01-01T00:00:00+00:00'],
  ])('are formatted as the runtime serialises them: %o in %s is %s', (date, zone, text) => {
    expect(formatStatusDate(date, zone)).toBe(text);
  });
});

describe('useMonitor', () => {
  it.each([
    ['*/10 * * * * *', false],
    ['0 * * * * *', true],
    ['0 */5 * * * *', true],
    ['00:00:30', false],
    ['00:05:00', true],
  ])('defaults off for schedules that fire more than once a minute: %j gives %s', (expression, useMonitor) => {
    expect(defaultUseMonitor(parseSchedule(expression))).toBe(useMonitor);
  });
});

describe('past-due computation at startup', () => {
  const every5 = parseSchedule('0 */5 * * * *');
  const status = (Last: string, Next: string, LastUpdated: string): ScheduleStatus => ({ Last, Next, LastUpdated });
  const never = '0001-01-01T00:00:00+00:00';

  it('records a new timer without making it past due', () => {
    const result = computeStartupStatus(null, at('2024-01-01T10:02:00Z'), every5);
    expect(result).toEqual({
      isPastDue: false,
      pastDueMs: 0,
      changed: true,
      status: status(never, '2024-01-01T10:05:00+00:00', '2024-01-01T10:02:00+00:00'),
    });
  });

  it('is not past due while Next is still ahead', () => {
    const saved = status('2024-01-01T10:00:00+00:00', '2024-01-01T10:05:00+00:00', '2024-01-01T10:00:00+00:00');
    const result = computeStartupStatus(saved, at('2024-01-01T10:03:00Z'), every5);
    expect(result).toMatchObject({ isPastDue: false, changed: false, status: saved });
  });

  it('is past due when Next went by while the host was down (once, however many were missed)', () => {
    const saved = status('2024-01-01T10:00:00Z', '2024-01-01T10:05:00Z', '2024-01-01T10:00:00Z');
    const result = computeStartupStatus(saved, at('2024-01-01T11:07:00Z'), every5);
    expect(result.isPastDue).toBe(true);
    expect(result.pastDueMs).toBe(62 * 60_000);
    expect(result.changed).toBe(false);
    expect(result.status).toBe(saved);
  });

  it('uses LastUpdated when the timer has never fired', () => {
    const saved = status(never, '2024-01-01T10:05:00+00:00', '2024-01-01T10:02:00+00:00');
    expect(computeStartupStatus(saved, at('2024-01-01T10:20:00Z'), every5).isPastDue).toBe(true);
    expect(computeStartupStatus(saved, at('2024-01-01T10:04:00Z'), every5).isPastDue).toBe(false);
  });

  it('resets the status, without past due, when the schedule was edited', () => {
    const hourly = parseSchedule('0 0 * * * *');
    const saved = status('2024-01-01T10:00:00+00:00', '2024-01-01T10:05:00+00:00', '2024-01-01T10:00:00+00:00');
    expect(computeStartupStatus(saved, at('2024-01-01T10:30:00Z'), hourly)).toEqual({
      isPastDue: false,
      pastDueMs: 0,
      changed: true,
      status: status(never, '2024-01-01T11:00:00+00:00', '2024-01-01T10:00:00+00:00'),
    });
    // the recomputed Next is already gone: recompute from now rather than fire a past-due run
    expect(computeStartupStatus(saved, at('2024-01-01T12:30:00Z'), hourly)).toEqual({
      isPastDue: false,
      pastDueMs: 0,
      changed: true,
      status: status(never, '2024-01-01T13:00:00+00:00', '2024-01-01T12:30:00+00:00'),
    });
  });

  it.each<[Date | null, string, boolean]>([
    [null, '2024-01-01T12:00:00Z', false],
    [NEVER, '2024-01-01T12:00:00Z', false],
    [at('2024-01-01T10:00:00Z'), '2024-01-01T10:04:00Z', false],
    [at('2024-01-01T10:00:00Z'), '2024-01-01T10:05:01Z', true],
  ])('offers the short isPastDue form: last %o, now %s gives %s', (last, now, pastDue) => {
    expect(isPastDue(last, at(now), every5)).toBe(pastDue);
  });

  it('records the status after an invocation as the runtime does', () => {
    const current = status('2024-01-01T10:00:00+00:00', '2024-01-01T10:05:00+00:00', '2024-01-01T10:00:00+00:00');
    // a scheduled run that fired a little early counts as the scheduled time
    expect(statusAfterInvocation(current, at('2024-01-01T10:04:59.900Z'), every5)).toEqual(status('2024-01-01T10:05:00+00:00', '2024-01-01T10:10:00+00:00', '2024-01-01T10:05:00+00:00'));
    // a past-due run counts from when it ran
    expect(statusAfterInvocation(current, at('2024-01-01T11:07:00Z'), every5, { isPastDue: true })).toEqual(
      status('2024-01-01T11:07:00+00:00', '2024-01-01T11:10:00+00:00', '2024-01-01T11:07:00+00:00'),
    );
  });

  it('reads status times written with any offset', () => {
    const saved = status('2024-01-01T05:00:00-05:00', '2024-01-01T05:05:00-05:00', '2024-01-01T05:00:00-05:00');
    expect(computeStartupStatus(saved, at('2024-01-01T10:03:00Z'), every5)).toMatchObject({ isPastDue: false, changed: false });
  });
});
