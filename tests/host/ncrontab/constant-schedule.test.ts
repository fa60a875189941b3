import { describe, expect, it } from 'vitest';
import { parseSchedule, ScheduleExpressionError } from '../../../shared/local-host/timers/ncrontab/index';
import { at } from './schedules';

describe('TimeSpan schedules', () => {
  it('are fixed intervals from the base time', () => {
    const schedule = parseSchedule('00:05:00');
    expect(schedule.kind).toBe('timespan');
    expect(schedule.intervalMs).toBe(300_000);
    expect(schedule.adjustForDST).toBe(false);
    expect(schedule.next(at('2024-01-01T10:02:30.500Z')).toISOString()).toBe('2024-01-01T10:07:30.500Z');
    expect(String(schedule)).toBe('Constant: 00:05:00');
  });

  it.each([
    ['01:00:00', 3_600_000],
    ['00:00:30', 30_000],
    ['1.00:00:00', 86_400_000],
    ['00:01', 60_000],
    ['00:00:00.5', 500],
    // hours of 24 or more make it days:hours:minutes, as the docs say: 24 days, not one
    ['24:00:00', 24 * 86_400_000],
  ])('read .NET TimeSpan forms: %j is %i ms', (expression, ms) => {
    expect(parseSchedule(expression).intervalMs).toBe(ms);
  });

  it('can be switched off, and must be positive', () => {
    expect(() => parseSchedule('00:05:00', { allowTimeSpan: false })).toThrow(ScheduleExpressionError);
    expect(() => parseSchedule('00:00:00')).toThrow(/positive/);
    expect(() => parseSchedule('00:61:00')).toThrow(/neither an NCRONTAB expression/);
  });
});
