import { expect, it } from 'vitest';
import { parseSchedule, ScheduleExpressionError } from '../../../shared/local-host/timers/ncrontab/index';

export const at = (iso: string) => new Date(iso);
export const next = (expression: string, after: string, timeZone?: string) => parseSchedule(expression, { timeZone }).next(at(after)).toISOString();
export const series = (expression: string, after: string, count: number, timeZone?: string) =>
  parseSchedule(expression, { timeZone })
    .nextOccurrences(count, at(after))
    .map((d) => d.toISOString());

/** One test per row: the first occurrence of the expression after a time (UTC). */
export const nexts = (rule: string, rows: [expression: string, after: string, first: string][]) =>
  it.each(rows)(`${rule}: %j after %s is %s`, (expression, after, first) => {
    expect(next(expression, after)).toBe(first);
  });

/** One test per row: the expression is refused with an error that names it and says why. */
export const rejects = (rows: [expression: string, reason: RegExp][]) =>
  it.each(rows)('%j', (expression, reason) => {
    const refuse = () => parseSchedule(expression);
    expect(refuse).toThrow(ScheduleExpressionError);
    expect(refuse).toThrow(`'${expression}'`);
    expect(refuse).toThrow(reason);
  });
