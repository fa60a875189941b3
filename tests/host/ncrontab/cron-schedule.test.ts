import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../shared/local-host/timers/ncrontab/index';
import { next, nexts, series } from './schedules';

describe('NCRONTAB next occurrences (UTC)', () => {
  nexts('every five minutes: 0 */5 * * * *', [
    ['0 */5 * * * *', '2024-01-01T10:02:30Z', '2024-01-01T10:05:00.000Z'],
    // strictly after: an occurrence at the base time is not returned
    ['0 */5 * * * *', '2024-01-01T10:05:00Z', '2024-01-01T10:10:00.000Z'],
    ['0 */5 * * * *', '2024-01-01T10:04:59.999Z', '2024-01-01T10:05:00.000Z'],
    ['0 */5 * * * *', '2024-12-31T23:58:00Z', '2025-01-01T00:00:00.000Z'],
  ]);

  nexts('weekdays at 9:30: 0 30 9 * * 1-5', [
    // 2024-03-01 is a Friday
    ['0 30 9 * * 1-5', '2024-03-01T08:00:00Z', '2024-03-01T09:30:00.000Z'],
    ['0 30 9 * * 1-5', '2024-03-01T10:00:00Z', '2024-03-04T09:30:00.000Z'],
  ]);

  nexts('once a year: 0 0 0 1 1 *', [
    ['0 0 0 1 1 *', '2024-06-01T00:00:00Z', '2025-01-01T00:00:00.000Z'],
    ['0 0 0 1 1 *', '2024-12-31T23:59:59Z', '2025-01-01T00:00:00.000Z'],
  ]);

  it('skips months without the day (month ends)', () => {
    expect(series('0 0 0 31 * *', '2024-01-31T00:00:00Z', 3)).toEqual(['2024-03-31T00:00:00.000Z', '2024-05-31T00:00:00.000Z', '2024-07-31T00:00:00.000Z']);
    expect(next('0 0 0 30 * *', '2024-01-30T12:00:00Z')).toBe('2024-03-30T00:00:00.000Z');
  });

  nexts('handles leap years', [
    ['0 0 12 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['0 0 12 29 2 *', '2024-02-01T00:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['0 0 0 29 2 *', '2096-03-01T00:00:00Z', '2104-02-29T00:00:00.000Z'], // 2100 is not a leap year
  ]);

  it('requires BOTH day-of-month and day-of-week when both are restricted (NCrontab, not Vixie OR)', () => {
    // Friday the 13th: 2024-09-13, 2024-12-13, 2025-06-13. OR semantics would give 2024-01-05.
    expect(series('0 0 0 13 * Fri', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-09-13T00:00:00.000Z', '2024-12-13T00:00:00.000Z', '2025-06-13T00:00:00.000Z']);
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
});
