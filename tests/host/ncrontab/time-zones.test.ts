import { describe, expect, it } from 'vitest';
import { parseSchedule, timeZoneFromEnvironment } from '../../../shared/local-host/timers/ncrontab/index';
import { next, series } from './schedules';

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
});
