import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../shared/local-host/timers/ncrontab/index';
import { at, rejects } from './schedules';

describe('invalid expressions', () => {
  rejects([
    ['*/5 * * * *', /five fields, but an NCRONTAB expression needs six.*'0 \*\/5 \* \* \* \*'/],
    ['', /empty/],
    ['every 5 minutes', /neither an NCRONTAB expression/],
    ['0 0 0 * * * 2024', /neither an NCRONTAB expression.*it has 7/],
  ]);

  it('accepts five fields when asked, as the runtime does', () => {
    const schedule = parseSchedule('*/5 * * * *', { allowFiveFields: true });
    expect(schedule.next(at('2024-01-01T10:02:30Z')).toISOString()).toBe('2024-01-01T10:05:00.000Z');
  });
});
