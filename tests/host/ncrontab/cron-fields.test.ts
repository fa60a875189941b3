import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../shared/local-host/timers/ncrontab/index';
import { next, rejects, series } from './schedules';

describe('NCRONTAB fields', () => {
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

  it('treats a step below 1 as 1, as NCrontab does', () => {
    expect(next('*/0 * * * * *', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:01.000Z');
  });

  it('allows 29 February alone (it comes round in leap years)', () => {
    expect(() => parseSchedule('0 0 0 29 2 *')).not.toThrow();
  });
});

describe('invalid fields', () => {
  rejects([
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
  ]);
});
