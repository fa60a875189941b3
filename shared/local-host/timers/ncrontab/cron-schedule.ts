import { daysInMonth } from '../../calendar';
import type { Fields } from './cron-fields';
import { checkDate, type Schedule, successive } from './schedule';
import { type Wall, wallToMs, type Zone } from './time-zones';

const MAX_DATE = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

/** An NCRONTAB schedule (the runtime's `CronSchedule`), read in wall time in its zone. */
export class CronSchedule implements Schedule {
  readonly kind = 'cron' as const;
  readonly adjustForDST = true;
  readonly intervalMs = undefined;
  readonly isInterval: boolean;
  readonly timeZone: string;

  constructor(
    readonly expression: string,
    private readonly fields: Fields,
    private readonly zone: Zone,
  ) {
    this.timeZone = zone.name;
    const checked = fields.hasSeconds ? [fields.second, fields.minute, fields.hour] : [fields.minute, fields.hour];
    this.isInterval = checked.some((field) => field.looksLikeInterval());
  }

  firesMoreThanOncePerMinute(): boolean {
    const { minute, hour, day, month, dayOfWeek, second } = this.fields;
    return minute.full && hour.full && day.full && month.full && dayOfWeek.full && second.count > 1;
  }

  next(after: Date): Date {
    const afterMs = checkDate(after);
    const zone = this.zone;
    const nowWall = zone.wall(afterMs);
    let nextWall = this.nextWall(nowWall);
    if (nextWall === null) return MAX_DATE;
    if (zone.isUtc) return new Date(wallToMs(nextWall));

    // As CronSchedule.GetNextOccurrence: NCrontab works on wall time, then .NET gives the wall
    // time an offset (a time in a DST gap takes the offset before the gap; an ambiguous time the
    // standard offset, i.e. its second occurrence), then ambiguous times are adjusted.
    const nowOffset = zone.offsetAt(afterMs);
    let resolved = zone.resolve(wallToMs(nextWall));
    let instant = resolved.instant;
    const nextOffset = zone.offsetAt(instant);
    if (!this.isInterval && resolved.ambiguous && nextOffset !== nowOffset) {
      // Point-in-time schedule entering an overlap from daylight time: run at the first occurrence.
      instant += nextOffset - nowOffset;
    } else if (!this.isInterval && resolved.ambiguous) {
      // Already in standard time: the daylight occurrence has passed; skip to a non-ambiguous one.
      while (resolved.ambiguous) {
        nextWall = this.nextWall(nextWall);
        if (nextWall === null) return MAX_DATE;
        resolved = zone.resolve(wallToMs(nextWall));
      }
      instant = resolved.instant;
    } else if (this.isInterval && (resolved.ambiguous || zone.resolve(wallToMs(nowWall)).ambiguous) && nextOffset !== nowOffset) {
      // Interval schedule crossing the overlap: keep counting in the current offset.
      instant += nextOffset - nowOffset;
    }
    return new Date(instant);
  }

  nextOccurrences(count: number, after: Date): Date[] {
    return successive(this, count, after);
  }

  toString(): string {
    return `Cron: '${this.expression}'`;
  }

  /** The first wall time strictly after `base` (whole seconds) that matches every field. */
  private nextWall(base: Wall): Wall | null {
    const { second: S, minute: Mi, hour: H, day: D, month: Mo, dayOfWeek: W } = this.fields;
    let { year, month, day, hour, minute } = base;
    let second = base.second + 1;
    for (;;) {
      if (year > 9999) return null;
      const m = Mo.next(month);
      if (m === -1) {
        year++;
        month = 1;
        day = 1;
        hour = minute = second = 0;
        continue;
      }
      if (m !== month) {
        month = m;
        day = 1;
        hour = minute = second = 0;
      }
      const dim = daysInMonth(year, month);
      const d = D.next(day);
      if (d === -1 || d > dim) {
        month++;
        day = 1;
        hour = minute = second = 0;
        continue;
      }
      if (d !== day) {
        day = d;
        hour = minute = second = 0;
      }
      if (!W.has(dayOfWeek(year, month, day))) {
        day++;
        hour = minute = second = 0;
        continue;
      }
      const h = H.next(hour);
      if (h === -1) {
        day++;
        hour = minute = second = 0;
        continue;
      }
      if (h !== hour) {
        hour = h;
        minute = second = 0;
      }
      const mi = Mi.next(minute);
      if (mi === -1) {
        hour++;
        minute = second = 0;
        continue;
      }
      if (mi !== minute) {
        minute = mi;
        second = 0;
      }
      const s = S.next(second);
      if (s === -1) {
        minute++;
        second = 0;
        continue;
      }
      return { year, month, day, hour, minute, second: s };
    }
  }
}

function dayOfWeek(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCDay();
}
