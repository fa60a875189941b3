import { describe, expect, it } from 'vitest';
import {
  computeStartupStatus,
  defaultUseMonitor,
  formatStatusDate,
  isPastDue,
  NEVER,
  parseSchedule,
  ScheduleExpressionError,
  statusAfterInvocation,
  timeZoneFromEnvironment,
  type ScheduleStatus,
} from '../../shared/local-host/timers/ncrontab/index';

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string, timeZone?: string) => parseSchedule(expression, { timeZone }).next(at(after)).toISOString();
const series = (expression: string, after: string, count: number, timeZone?: string) =>
  parseSchedule(expression, { timeZone })
    .nextOccurrences(count, at(after))
    .map((d) => d.toISOString());

describe('NCRONTAB next occurrences (UTC)', () => {
  it('every five minutes: 0 */5 * * * *', () => {
    expect(next('0 */5 * * * *', '2024-01-01T10:02:30Z')).toBe('2024-01-01T10:05:00.000Z');
    // strictly after: an occurrence at the base time is not returned
    expect(next('0 */5 * * * *', '2024-01-01T10:05:00Z')).toBe('2024-01-01T10:10:00.000Z');
    expect(next('0 */5 * * * *', '2024-01-01T10:04:59.999Z')).toBe('2024-01-01T10:05:00.000Z');
    expect(next('0 */5 * * * *', '2024-12-31T23:58:00Z')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('weekdays at 9:30: 0 30 9 * * 1-5', () => {
    // 2024-03-01 is a Friday
    expect(next('0 30 9 * * 1-5', '2024-03-01T08:00:00Z')).toBe('2024-03-01T09:30:00.000Z');
    expect(next('0 30 9 * * 1-5', '2024-03-01T10:00:00Z')).toBe('2024-03-04T09:30:00.000Z');
  });

  it('once a year: 0 0 0 1 1 *', () => {
    expect(next('0 0 0 1 1 *', '2024-06-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(next('0 0 0 1 1 *', '2024-12-31T23:59:59Z')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('seconds, ranges, lists and steps', () => {
    expect(series('*/15 * * * * *', '2024-01-01T00:00:00Z', 4)).toEqual(['2024-01-01T00:00:15.000Z', '2024-01-01T00:00:30.000Z', '2024-01-01T00:00:45.000Z', '2024-01-01T00:01:00.000Z']);
    expect(series('5-7 * * * * *', '2024-01-01T00:00:00Z', 4).map((d) => d.slice(14, 19))).toEqual(['00:05', '00:06', '00:07', '01:05']);
    expect(series('0 5/15 * * * *', '2024-01-01T00:00:00Z', 5).map((d) => d.slice(11, 16))).toEqual(['00:05', '00:20', '00:35', '00:50', '01:05']);
    expect(series('0 0 9-17/4 * * *', '2024-01-01T00:00:00Z', 4).map((d) => d.slice(11, 13))).toEqual(['09', '13', '17', '09']);
    expect(series('0 0 8,12,18 * * *', '2024-01-01T10:00:00Z', 3).map((d) => d.slice(11, 13))).toEqual(['12', '18', '08']);
  });

  it('swaps a reversed range, as NCrontab does', () => {
    expect(series('0 0 17-9 * * *', '2024-01-01T00:00:00Z', 2).map((d) => d.slice(11, 13))).toEqual(['09', '10']);
  });

  it('skips months without the day (month ends)', () => {
    expect(series('0 0 0 31 * *', '2024-01-31T00:00:00Z', 3)).toEqual(['2024-03-31T00:00:00.000Z', '2024-05-31T00:00:00.000Z', '2024-07-31T00:00:00.000Z']);
    expect(next('0 0 0 30 * *', '2024-01-30T12:00:00Z')).toBe('2024-03-30T00:00:00.000Z');
  });

  it('handles leap years', () => {
    expect(next('0 0 12 29 2 *', '2024-03-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('0 0 12 29 2 *', '2024-02-01T00:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(next('0 0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z'); // 2100 is not a leap year
  });

  it('reads month and day names, case-insensitively, and their prefixes', () => {
    // 2024-01-01 is a Monday
    expect(series('0 30 9 * Jan Mon', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-01T09:30:00.000Z', '2024-01-08T09:30:00.000Z']);
    expect(next('0 30 9 * Jan Mon', '2024-01-29T10:00:00Z')).toBe('2025-01-06T09:30:00.000Z');
    expect(next('0 0 0 * * monday', '2024-01-02T00:00:00Z')).toBe('2024-01-08T00:00:00.000Z');
    expect(next('0 0 0 * * MON-fri', '2024-03-02T00:00:00Z')).toBe('2024-03-04T00:00:00.000Z');
    expect(next('0 0 0 * * Tues', '2024-01-01T00:00:00Z')).toBe('2024-01-02T00:00:00.000Z');
    expect(next('0 0 0 1 jul,DECEMBER *', '2024-01-01T00:00:00Z')).toBe('2024-07-01T00:00:00.000Z');
    expect(next('0 0 0 * * Sun', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00.000Z');
  });

  it('requires BOTH day-of-month and day-of-week when both are restricted (NCrontab, not Vixie OR)', () => {
    // Friday the 13th: 2024-09-13, 2024-12-13, 2025-06-13. OR semantics would give 2024-01-05.
    expect(series('0 0 0 13 * Fri', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-09-13T00:00:00.000Z', '2024-12-13T00:00:00.000Z', '2025-06-13T00:00:00.000Z']);
  });

  it('treats a step below 1 as 1, as NCrontab does', () => {
    expect(next('*/0 * * * * *', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:01.000Z');
  });
});

describe('time zones', () => {
  it('reads the fields in the given IANA zone', () => {
    expect(next('0 30 9 * * *', '2024-01-15T00:00:00Z', 'America/New_York')).toBe('2024-01-15T14:30:00.000Z');
    expect(next('0 30 9 * * *', '2024-07-01T00:00:00Z', 'America/New_York')).toBe('2024-07-01T13:30:00.000Z');
    expect(next('0 0 0 * * *', '2024-01-15T00:00:00Z', 'Asia/Kolkata')).toBe('2024-01-15T18:30:00.000Z');
    expect(parseSchedule('0 0 0 * * *', { timeZone: 'Europe/Paris' }).timeZone).toBe('Europe/Paris');
    expect(parseSchedule('0 0 0 * * *').timeZone).toBe('UTC');
  });

  it('runs a time in the spring-forward gap just after it (02:30 -> 03:30)', () => {
    // America/New_York: 2024-03-10 02:00 EST becomes 03:00 EDT.
    expect(series('0 30 2 * * *', '2024-03-09T08:00:00Z', 3, 'America/New_York')).toEqual([
      '2024-03-10T07:30:00.000Z', // 03:30 EDT
      '2024-03-11T06:30:00.000Z', // 02:30 EDT
      '2024-03-12T06:30:00.000Z',
    ]);
  });

  it('runs a point-in-time schedule once in the fall-back overlap, at the first occurrence', () => {
    // 2024-11-03 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
    expect(series('0 30 1 * * *', '2024-11-02T12:00:00Z', 2, 'America/New_York')).toEqual([
      '2024-11-03T05:30:00.000Z', // 01:30 EDT
      '2024-11-04T06:30:00.000Z', // 01:30 EST, next day
    ]);
    // Starting inside the second pass of the hour: the first 01:30 is gone, so the next day.
    expect(next('0 30 1 * * *', '2024-11-03T06:10:00Z', 'America/New_York')).toBe('2024-11-04T06:30:00.000Z');
  });

  it('runs an interval schedule through both passes of the overlap', () => {
    expect(series('0 */30 * * * *', '2024-11-03T04:45:00Z', 5, 'America/New_York')).toEqual([
      '2024-11-03T05:00:00.000Z', // 01:00 EDT
      '2024-11-03T05:30:00.000Z', // 01:30 EDT
      '2024-11-03T06:00:00.000Z', // 01:00 EST
      '2024-11-03T06:30:00.000Z', // 01:30 EST
      '2024-11-03T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('rejects an unknown zone, with a hint for Windows names', () => {
    expect(() => parseSchedule('0 0 0 * * *', { timeZone: 'Mars/Olympus' })).toThrow(/'Mars\/Olympus' is not a known IANA time zone/);
    expect(() => parseSchedule('0 0 0 * * *', { timeZone: 'Eastern Standard Time' })).toThrow(/Windows time zone name/);
  });

  it('takes WEBSITE_TIME_ZONE, then TZ, then UTC', () => {
    expect(timeZoneFromEnvironment({})).toBe('UTC');
    expect(timeZoneFromEnvironment({ TZ: ':Asia/Tokyo' })).toBe('Asia/Tokyo');
    expect(timeZoneFromEnvironment({ WEBSITE_TIME_ZONE: 'Europe/Paris', TZ: 'Asia/Tokyo' })).toBe('Europe/Paris');
    expect(() => timeZoneFromEnvironment({ WEBSITE_TIME_ZONE: 'Eastern Standard Time' })).toThrow(/IANA/);
  });

  it('formats status times as the runtime serialises them', () => {
    expect(formatStatusDate(at('2024-01-15T14:30:00Z'), 'America/New_York')).toBe('2024-01-15T09:30:00-05:00');
    expect(formatStatusDate(at('2016-10-04T10:15:00Z'))).toBe('2016-10-04T10:15:00+00:00');
    expect(formatStatusDate(at('2016-10-04T10:15:00.250Z'))).toBe('2016-10-04T10:15:00.25+00:00');
    expect(formatStatusDate(NEVER)).toBe('0001-01-01T00:00:00+00:00');
  });
});

describe('TimeSpan schedules', () => {
  it('are fixed intervals from the base time', () => {
    const schedule = parseSchedule('00:05:00');
    expect(schedule.kind).toBe('timespan');
    expect(schedule.intervalMs).toBe(300_000);
    expect(schedule.adjustForDST).toBe(false);
    expect(schedule.next(at('2024-01-01T10:02:30.500Z')).toISOString()).toBe('2024-01-01T10:07:30.500Z');
    expect(String(schedule)).toBe('Constant: 00:05:00');
  });

  it('read .NET TimeSpan forms', () => {
    expect(parseSchedule('01:00:00').intervalMs).toBe(3_600_000);
    expect(parseSchedule('00:00:30').intervalMs).toBe(30_000);
    expect(parseSchedule('1.00:00:00').intervalMs).toBe(86_400_000);
    expect(parseSchedule('00:01').intervalMs).toBe(60_000);
    expect(parseSchedule('00:00:00.5').intervalMs).toBe(500);
    // hours of 24 or more make it days:hours:minutes, as the docs say: 24 days, not one
    expect(parseSchedule('24:00:00').intervalMs).toBe(24 * 86_400_000);
  });

  it('can be switched off, and must be positive', () => {
    expect(() => parseSchedule('00:05:00', { allowTimeSpan: false })).toThrow(ScheduleExpressionError);
    expect(() => parseSchedule('00:00:00')).toThrow(/positive/);
    expect(() => parseSchedule('00:61:00')).toThrow(/neither an NCRONTAB expression/);
  });
});

describe('invalid expressions', () => {
  const invalid: [string, RegExp][] = [
    ['*/5 * * * *', /five fields, but an NCRONTAB expression needs six.*'0 \*\/5 \* \* \* \*'/],
    ['', /empty/],
    ['every 5 minutes', /neither an NCRONTAB expression/],
    ['0 0 0 * * * 2024', /neither an NCRONTAB expression.*it has 7/],
    ['60 * * * * *', /second field '60' has 60, outside 0-59/],
    ['0 60 * * * *', /minute field/],
    ['0 0 24 * * *', /hour field/],
    ['0 0 0 0 * *', /day field/],
    ['0 0 0 * 13 *', /month field/],
    ['0 0 0 * * 7', /day-of-week field '7' has 7, outside 0-6/],
    ['0 0 0 L * *', /not NCRONTAB syntax/],
    ['0 0 0 ? * *', /not NCRONTAB syntax/],
    ['0 0 0 * * 5#3', /not a number/],
    ['0 0 0 * * Funday', /not a day-of-week name/],
    ['0 0 0 * Smarch *', /not a month name/],
    ['1,,2 * * * * *', /empty list item/],
    ['*/x * * * * *', /step 'x'/],
    ['0 0 0 30 2 *', /never fire/],
    ['0 0 0 31 4,6,9,11 *', /never fire/],
    ['0\t0 0 0 * * *', /second field '0\t0' has '0\t0', which is not a number/], // tabs are not separators
  ];

  it.each(invalid)('%j', (expression, reason) => {
    let error: unknown;
    try {
      parseSchedule(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScheduleExpressionError);
    expect((error as Error).message).toContain(`'${expression}'`);
    expect((error as Error).message).toMatch(reason);
  });

  it('accepts five fields when asked, as the runtime does', () => {
    const schedule = parseSchedule('*/5 * * * *', { allowFiveFields: true });
    expect(schedule.next(at('2024-01-01T10:02:30Z')).toISOString()).toBe('2024-01-01T10:05:00.000Z');
  });

  it('allows 29 February alone (it comes round in leap years)', () => {
    expect(() => parseSchedule('0 0 0 29 2 *')).not.toThrow();
  });
});

describe('schedule properties', () => {
  it('knows the runtime description and interval-ness', () => {
    expect(String(parseSchedule('0 */5 * * * *'))).toBe("Cron: '0 */5 * * * *'");
    expect(parseSchedule('0 */5 * * * *').isInterval).toBe(true); // '*' in the hour field
    expect(parseSchedule('0 30 9 * * *').isInterval).toBe(false);
    expect(parseSchedule('0 0,30 1 * * *').isInterval).toBe(false);
    expect(parseSchedule('0 0 1-2 * * *').isInterval).toBe(true);
    expect(parseSchedule('0 30 9 * * *').adjustForDST).toBe(true);
  });

  it('defaults useMonitor off for schedules that fire more than once a minute', () => {
    expect(defaultUseMonitor(parseSchedule('*/10 * * * * *'))).toBe(false);
    expect(defaultUseMonitor(parseSchedule('0 * * * * *'))).toBe(true);
    expect(defaultUseMonitor(parseSchedule('0 */5 * * * *'))).toBe(true);
    expect(defaultUseMonitor(parseSchedule('00:00:30'))).toBe(false);
    expect(defaultUseMonitor(parseSchedule('00:05:00'))).toBe(true);
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

  it('offers the short isPastDue form', () => {
    expect(isPastDue(null, at('2024-01-01T12:00:00Z'), every5)).toBe(false);
    expect(isPastDue(NEVER, at('2024-01-01T12:00:00Z'), every5)).toBe(false);
    expect(isPastDue(at('2024-01-01T10:00:00Z'), at('2024-01-01T10:04:00Z'), every5)).toBe(false);
    expect(isPastDue(at('2024-01-01T10:00:00Z'), at('2024-01-01T10:05:01Z'), every5)).toBe(true);
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
