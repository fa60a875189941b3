/** A .NET `TimeSpan` schedule (the runtime's `ConstantSchedule`): a fixed interval from the base time. */

import { formatTimeSpan } from '../../timespan';
import { checkDate, type Schedule, successive } from './schedule';
import type { Zone } from './time-zones';

export class ConstantSchedule implements Schedule {
  readonly kind = 'timespan' as const;
  readonly adjustForDST = false;
  readonly isInterval = true;
  readonly timeZone: string;

  constructor(
    readonly expression: string,
    readonly intervalMs: number,
    zone: Zone,
  ) {
    this.timeZone = zone.name;
  }

  next(after: Date): Date {
    return new Date(checkDate(after) + this.intervalMs);
  }

  nextOccurrences(count: number, after: Date): Date[] {
    return successive(this, count, after);
  }

  toString(): string {
    return `Constant: ${formatTimeSpan(this.intervalMs)}`;
  }
}
