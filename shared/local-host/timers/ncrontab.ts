/**
 * Timer-trigger schedules as the Azure Functions runtime reads them.
 *
 * The timer extension (Microsoft.Azure.WebJobs.Extensions, `TimerSchedule.Create`) first tries the
 * expression as an NCrontab expression (`CronSchedule`, NCrontab 3.3.3) and then as a .NET
 * `TimeSpan` (`ConstantSchedule`, a fixed interval). This module reproduces both:
 *
 * - six fields `{second} {minute} {hour} {day} {month} {day-of-week}` separated by spaces; each
 *   field is `*`, a value, a range `a-b` (a reversed range is swapped, as NCrontab does), a step
 *   `x/n` (`*`, a range or a start value, which runs to the field's maximum), or a comma list of
 *   those. Months and days of the week also take English names, case-insensitively, and any
 *   prefix of the name (`Jan`, `January`, `Mon`, `Monday`);
 * - day of week is 0-6 with 0 = Sunday; 7 is rejected (NCrontab's range is 0-6);
 * - when both day-of-month and day-of-week are restricted, BOTH must match (NCrontab finds the
 *   next day-of-month and then requires the day of week; classic Vixie cron would use OR);
 * - `L`, `W`, `#`, `?` and `@yearly`-style macros are not NCrontab and are rejected;
 * - times are wall-clock times in the schedule's time zone (UTC unless `WEBSITE_TIME_ZONE`/`TZ`
 *   names another), with the runtime's daylight-saving rules (see {@link TimerSchedule.next}).
 *
 * Past-due handling follows the runtime's `ScheduleMonitor.CheckPastDueAsync` and
 * `TimerListener` (see {@link computeStartupStatus}).
 */

import { DAY_MS, formatTimeSpan, tryParseTimeSpan } from '../timespan';

export class ScheduleExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`The schedule expression '${expression}' is invalid: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

export interface ParseScheduleOptions {
  /** IANA time zone the NCRONTAB fields are read in (default `UTC`). */
  timeZone?: string;
  /**
   * Accept classic five-field crontab (no seconds, seconds = 0). The runtime itself does (NCrontab
   * is called without seconds when there are exactly five fields), but Microsoft documents six
   * fields, so by default five are rejected with a message that says so.
   */
  allowFiveFields?: boolean;
  /** Accept a TimeSpan interval such as `00:05:00` (default true; Azure allows it on App Service plans). */
  allowTimeSpan?: boolean;
}

export interface Schedule {
  readonly kind: 'cron' | 'timespan';
  /** The expression as given. */
  readonly expression: string;
  /** The IANA zone the schedule is evaluated in (`UTC` by default). */
  readonly timeZone: string;
  /**
   * The runtime's notion of an "interval" cron schedule (seconds, minutes or hours field has `*`,
   * a range or consecutive values), which changes how ambiguous DST times are handled.
   */
  readonly isInterval: boolean;
  /** What the runtime puts in the timer's `Schedule.AdjustForDST`: true for cron, false for a TimeSpan. */
  readonly adjustForDST: boolean;
  /** The TimeSpan's length in milliseconds (TimeSpan schedules only). */
  readonly intervalMs: number | undefined;
  /**
   * The first occurrence strictly after `after` (whole seconds; a fraction of `after` is dropped,
   * as NCrontab does). Across DST changes it returns what the runtime's `CronSchedule` does:
   * a time inside a spring-forward gap runs at the same wall time shifted past the gap (02:30 -> 03:30);
   * in a fall-back overlap a point-in-time schedule (e.g. `0 30 1 * * *`) runs once, at the first
   * (daylight) occurrence, and an interval schedule (e.g. `0 *\/30 * * * *`) runs through both.
   */
  next(after: Date): Date;
  /** The next `count` occurrences after `after`. */
  nextOccurrences(count: number, after: Date): Date[];
  /** The runtime's description: `Cron: '0 *\/5 * * * *'` or `Constant: 00:05:00`. */
  toString(): string;
}

/**
 * Parses a timer trigger's `schedule`. Throws a {@link ScheduleExpressionError} naming the expression.
 */
export function parseSchedule(expression: string, options: ParseScheduleOptions = {}): Schedule {
  const zone = resolveZone(options.timeZone, expression);
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ScheduleExpressionError(String(expression ?? ''), 'it is empty; give a six-field NCRONTAB expression such as "0 */5 * * * *"');
  }
  // NCrontab splits on spaces only (tabs are not separators).
  const tokens = expression.split(' ').filter((token) => token.length > 0);
  if (tokens.length === 6 || (tokens.length === 5 && options.allowFiveFields)) {
    return new CronSchedule(expression, parseFields(expression, tokens), zone);
  }
  if (tokens.length === 5) {
    throw new ScheduleExpressionError(
      expression,
      `it has five fields, but an NCRONTAB expression needs six: {second} {minute} {hour} {day} {month} {day-of-week}. Add the seconds first, e.g. '0 ${tokens.join(' ')}'.`,
    );
  }
  if (options.allowTimeSpan !== false) {
    const interval = tryParseTimeSpan(expression);
    if (interval !== null) {
      if (interval <= 0) {
        throw new ScheduleExpressionError(expression, 'a TimeSpan schedule must be a positive interval');
      }
      return new ConstantSchedule(expression, interval, zone);
    }
  }
  throw new ScheduleExpressionError(
    expression,
    `it is neither an NCRONTAB expression (six space-separated fields: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. "0 */5 * * * *"; it has ${tokens.length}) ` +
      `nor a TimeSpan such as "00:05:00"`,
  );
}

// ---------------------------------------------------------------------------------------------
// Schedule status and past-due semantics
// ---------------------------------------------------------------------------------------------

/**
 * The runtime's `ScheduleStatus`, as stored by its schedule monitor and handed to the function
 * (`timer.scheduleStatus`): ISO-8601 strings. `Last` is `0001-01-01T00:00:00+00:00` (see
 * {@link NEVER}) until the timer has fired.
 */
export interface ScheduleStatus {
  /** When the timer last fired (the invocation time, or the occurrence it stood for). */
  Last: string;
  /** The occurrence the timer is waiting for. */
  Next: string;
  /** When `Next` was last computed. */
  LastUpdated: string;
}

/** .NET's `default(DateTimeOffset)`, the runtime's "never" in a schedule status. */
export const NEVER = new Date(-62135596800000); // 0001-01-01T00:00:00Z

export interface StartupStatus {
  /**
   * True when an occurrence was missed while the host was not running: the runtime then invokes
   * the function once, immediately, with `isPastDue: true` (it does not replay every missed one).
   */
  isPastDue: boolean;
  /** How late the recorded `Next` is (0 when not past due). */
  pastDueMs: number;
  /** The status to keep (and to pass to the past-due invocation). */
  status: ScheduleStatus;
  /** The status differs from the saved one and should be written back (the runtime does). */
  changed: boolean;
}

/**
 * What the runtime computes when a timer starts (`ScheduleMonitor.CheckPastDueAsync`, used only
 * when `useMonitor` is on):
 *
 * - no saved status: a new timer. Record `{ Last: never, Next: next(now), LastUpdated: now }`; not past due.
 * - otherwise recompute the `Next` the saved status should have: `next(Last)` if it has fired,
 *   else `next(LastUpdated)`, else `next(now)`. If that differs from the saved `Next`, the schedule
 *   was edited: reset to `{ Last: never, Next: that, LastUpdated: base }`, recomputing from now if
 *   it is already in the past so an edit never makes a timer past due.
 * - past due iff `now` is later than the (possibly reset) `Next`.
 */
export function computeStartupStatus(saved: ScheduleStatus | null | undefined, now: Date, schedule: Schedule): StartupStatus {
  const nowMs = now.getTime();
  if (!saved) {
    const status = makeStatus(NEVER, schedule.next(now), now, schedule);
    return { isPastDue: false, pastDueMs: 0, status, changed: true };
  }
  const last = readDate(saved.Last);
  const lastUpdated = readDate(saved.LastUpdated);
  const savedNext = readDate(saved.Next);

  let base: Date;
  if (!isNever(last)) base = last;
  else if (!isNever(lastUpdated)) base = lastUpdated;
  else base = now;
  let expected = schedule.next(base);

  let status = saved;
  let changed = false;
  if (savedNext.getTime() !== expected.getTime()) {
    if (nowMs > expected.getTime()) {
      expected = schedule.next(now);
      base = now;
    }
    status = makeStatus(NEVER, expected, base, schedule);
    changed = true;
  }
  const recordedNext = readDate(status.Next).getTime();
  const pastDueMs = nowMs > recordedNext ? nowMs - recordedNext : 0;
  return { isPastDue: pastDueMs > 0, pastDueMs, status, changed };
}

/**
 * The short form: has an occurrence been missed since `lastScheduled` (the status's `Last`; null
 * when the timer never fired, which is never past due)? Equivalent to {@link computeStartupStatus}
 * when the schedule has not been edited.
 */
export function isPastDue(lastScheduled: Date | null, now: Date, schedule: Schedule): boolean {
  if (lastScheduled === null || isNever(lastScheduled)) return false;
  return now.getTime() > schedule.next(lastScheduled).getTime();
}

/**
 * The status the runtime records after an invocation (`TimerListener.InvokeJobFunction`):
 * `Last = LastUpdated = t` and `Next = next(t)`, where `t` is the invocation time, except that a
 * regular (not past-due, not run-on-startup) invocation that fired slightly early uses the
 * scheduled `Next` instead, so the same occurrence is never scheduled twice.
 */
export function statusAfterInvocation(
  current: ScheduleStatus | null | undefined,
  invocationTime: Date,
  schedule: Schedule,
  reason: { isPastDue?: boolean; runOnStartup?: boolean } = {},
): ScheduleStatus {
  let t = invocationTime;
  if (current && !reason.isPastDue && !reason.runOnStartup) {
    const next = readDate(current.Next);
    if (next.getTime() > invocationTime.getTime()) t = next;
  }
  return makeStatus(t, schedule.next(t), t, schedule);
}

/**
 * `useMonitor`'s default: on, except for schedules that fire more than once a minute (a TimeSpan
 * under a minute, or a cron whose only restricted field is the seconds, with several seconds).
 */
export function defaultUseMonitor(schedule: Schedule): boolean {
  if (schedule instanceof ConstantSchedule) return schedule.intervalMs! >= 60_000;
  if (schedule instanceof CronSchedule) return !schedule.firesMoreThanOncePerMinute();
  return true;
}

/**
 * The zone timer schedules use: `WEBSITE_TIME_ZONE`, else `TZ`, else UTC. On Linux the runtime
 * reads `TZ`-style IANA names (Windows plans take Windows names such as "Eastern Standard Time",
 * which are rejected here with a hint). A leading ':' (POSIX `TZ=:Europe/Paris`) is ignored.
 */
export function timeZoneFromEnvironment(env: Record<string, string | undefined> = process.env): string {
  const raw = (env.WEBSITE_TIME_ZONE || env.TZ || 'UTC').trim().replace(/^:/, '');
  return resolveZone(raw, undefined).name;
}

/** Formats a date as the runtime serialises schedule-status times: local time with its offset. */
export function formatStatusDate(date: Date, timeZone = 'UTC'): string {
  return formatInZone(date, resolveZone(timeZone, undefined));
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY: FieldSpec = { name: 'day', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const DAY_OF_WEEK: FieldSpec = {
  name: 'day-of-week',
  min: 0,
  max: 6,
  names: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** A set of allowed values with O(1) "next allowed value at or after v". */
class Field {
  readonly values: boolean[];
  /** nextFrom[v] = smallest allowed value >= v, or -1 (indices up to max + 1). */
  private readonly nextFrom: Int16Array;
  readonly count: number;
  readonly full: boolean;

  constructor(
    readonly spec: FieldSpec,
    values: boolean[],
  ) {
    this.values = values;
    this.nextFrom = new Int16Array(spec.max + 2).fill(-1);
    let next = -1;
    for (let v = spec.max; v >= 0; v--) {
      if (values[v]) next = v;
      this.nextFrom[v] = next;
    }
    this.count = values.filter(Boolean).length;
    this.full = this.count === spec.max - spec.min + 1;
  }

  next(v: number): number {
    return v > this.spec.max ? -1 : this.nextFrom[v];
  }

  has(v: number): boolean {
    return this.values[v] === true;
  }

  /** The runtime's `IsInterval` test on NCrontab's formatted field: '*' or a run like '1-2'. */
  looksLikeInterval(): boolean {
    if (this.full) return true;
    for (let v = this.spec.min; v < this.spec.max; v++) if (this.values[v] && this.values[v + 1]) return true;
    return false;
  }
}

interface Fields {
  second: Field;
  minute: Field;
  hour: Field;
  day: Field;
  month: Field;
  dayOfWeek: Field;
  hasSeconds: boolean;
}

function parseFields(expression: string, tokens: string[]): Fields {
  const hasSeconds = tokens.length === 6;
  const specs = hasSeconds ? [SECOND, MINUTE, HOUR, DAY, MONTH, DAY_OF_WEEK] : [MINUTE, HOUR, DAY, MONTH, DAY_OF_WEEK];
  const parsed = specs.map((spec, index) => parseField(expression, spec, tokens[index]));
  const [second, minute, hour, day, month, dayOfWeek] = hasSeconds ? parsed : [zeroSeconds(), ...parsed];
  // A day/month combination that never exists (30 February) would never fire; say so now.
  const possible = month.values.some((allowed, m) => allowed && day.values.some((d, dd) => d && dd <= MAX_DAYS[m - 1]));
  if (!possible) {
    throw new ScheduleExpressionError(expression, 'no month it allows has any of the days it allows, so it would never fire');
  }
  return { second, minute, hour, day, month, dayOfWeek, hasSeconds };
}

const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function zeroSeconds(): Field {
  const values = new Array<boolean>(60).fill(false);
  values[0] = true;
  return new Field(SECOND, values);
}

function parseField(expression: string, spec: FieldSpec, token: string): Field {
  const values = new Array<boolean>(spec.max + 1).fill(false);
  const fail = (why: string): never => {
    throw new ScheduleExpressionError(expression, `the ${spec.name} field '${token}' ${why}`);
  };
  for (const item of token.split(',')) {
    if (item.length === 0) fail('has an empty list item');
    let body = item;
    let step = 1;
    const slash = item.indexOf('/');
    if (slash > 0) {
      const stepText = item.slice(slash + 1);
      if (!/^[+-]?\d+$/.test(stepText) || Math.abs(Number(stepText)) > 2147483647) fail(`has a step '${stepText}' that is not a whole number`);
      step = Math.max(1, Number(stepText)); // NCrontab treats a step below 1 as 1
      body = item.slice(0, slash);
    }
    let start: number;
    let end: number;
    if (body === '*') {
      start = spec.min;
      end = spec.max;
    } else {
      const dash = body.indexOf('-');
      if (dash > 0) {
        start = parseValue(spec, body.slice(0, dash), fail);
        end = parseValue(spec, body.slice(dash + 1), fail);
        if (start > end) [start, end] = [end, start]; // NCrontab swaps a reversed range
      } else {
        start = parseValue(spec, body, fail);
        end = slash > 0 ? spec.max : start; // '5/15' runs from 5 to the maximum
      }
      for (const v of [start, end]) {
        if (v < spec.min || v > spec.max) fail(`has ${v}, outside ${spec.min}-${spec.max}`);
      }
    }
    for (let v = start; v <= end; v += step) values[v] = true;
  }
  return new Field(spec, values);
}

function parseValue(spec: FieldSpec, text: string, fail: (why: string) => never): number {
  if (text.length === 0) fail('has an empty value');
  if (/^[0-9]/.test(text)) {
    if (!/^[0-9]+$/.test(text)) fail(`has '${text}', which is not a number`);
    return Number(text);
  }
  if (!spec.names) {
    if (/^[LW#?]/i.test(text) || /[LW#?]/.test(text)) fail(`uses '${text}': L, W, # and ? are not NCRONTAB syntax`);
    fail(`has '${text}', which is not a number between ${spec.min} and ${spec.max}`);
  }
  const lower = text.toLowerCase();
  const index = spec.names!.findIndex((name) => name.toLowerCase().startsWith(lower));
  if (index === -1) fail(`has '${text}', which is not a ${spec.name} name (${spec.names!.join(', ')}, or a prefix such as '${spec.names![1].slice(0, 3)}')`);
  return index + spec.min;
}

// ---------------------------------------------------------------------------------------------
// Cron schedule
// ---------------------------------------------------------------------------------------------

interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

class CronSchedule implements Schedule {
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
      const dim = daysIn(year, month);
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

// ---------------------------------------------------------------------------------------------
// TimeSpan schedule
// ---------------------------------------------------------------------------------------------

class ConstantSchedule implements Schedule {
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

// ---------------------------------------------------------------------------------------------
// Time zones (IANA, through Intl)
// ---------------------------------------------------------------------------------------------

interface Zone {
  readonly name: string;
  readonly isUtc: boolean;
  wall(ms: number): Wall;
  /** Offset from UTC in ms at an instant (local = utc + offset). */
  offsetAt(ms: number): number;
  /** The instant .NET gives a wall time, and whether that wall time occurs twice. */
  resolve(wallMs: number): { instant: number; ambiguous: boolean };
}

const zones = new Map<string, Zone>();

function resolveZone(name: string | undefined, expression: string | undefined): Zone {
  const requested = name?.trim() ? name.trim() : 'UTC';
  const cached = zones.get(requested);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: requested,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    const hint = / /.test(requested) ? ' It looks like a Windows time zone name; use the IANA name (e.g. "America/New_York" for "Eastern Standard Time"), as Linux plans do.' : '';
    const message = `'${requested}' is not a known IANA time zone.${hint}`;
    if (expression !== undefined) throw new ScheduleExpressionError(expression, message);
    throw new RangeError(message);
  }
  const resolvedName = format.resolvedOptions().timeZone;
  const isUtc = /^(?:Etc\/)?(?:UTC|UCT|GMT|Zulu|Universal|Greenwich|GMT[+-]?0)$/i.test(resolvedName) || requested.toUpperCase() === 'UTC';
  const zone: Zone = isUtc ? utcZone(requested) : intlZone(requested, format);
  zones.set(requested, zone);
  return zone;
}

function utcZone(name: string): Zone {
  return {
    name,
    isUtc: true,
    wall: (ms) => {
      const d = new Date(ms);
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
    },
    offsetAt: () => 0,
    resolve: (wallMs) => ({ instant: wallMs, ambiguous: false }),
  };
}

function intlZone(name: string, format: Intl.DateTimeFormat): Zone {
  const wall = (ms: number): Wall => {
    const parts = format.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    const era = parts.find((part) => part.type === 'era')?.value;
    const year = get('year');
    return {
      year: era === 'BC' || era === 'B' ? 1 - year : year,
      month: get('month'),
      day: get('day'),
      hour: get('hour'),
      minute: get('minute'),
      second: get('second'),
    };
  };
  const offsetAt = (ms: number): number => {
    const whole = Math.floor(ms / 1000) * 1000;
    return wallToMs(wall(whole)) - whole;
  };
  const window = 18 * 3_600_000;
  return {
    name,
    isUtc: false,
    wall,
    offsetAt,
    resolve: (wallMs) => {
      // The offsets in force a little before and after; a wall time is valid with an offset o
      // when wall - o really has offset o. Two valid offsets: ambiguous; none: in a gap.
      const before = offsetAt(wallMs - window);
      const after = offsetAt(wallMs + window);
      const tBefore = wallMs - before;
      const tAfter = wallMs - after;
      const validBefore = offsetAt(tBefore) === before;
      const validAfter = offsetAt(tAfter) === after;
      if (validBefore && validAfter && tBefore !== tAfter) return { instant: Math.max(tBefore, tAfter), ambiguous: true };
      if (validBefore) return { instant: tBefore, ambiguous: false };
      if (validAfter) return { instant: tAfter, ambiguous: false };
      return { instant: tBefore, ambiguous: false }; // in a gap: the offset before it moves the time past the gap
    },
  };
}

function formatInZone(date: Date, zone: Zone): string {
  const ms = checkDate(date);
  const w = zone.wall(ms);
  const offsetMinutes = Math.round(zone.offsetAt(ms) / 60_000);
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const frac = ms - Math.floor(ms / 1000) * 1000;
  const fractionText = frac ? `.${String(frac).padStart(3, '0').replace(/0+$/, '')}` : '';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${fractionText}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const MAX_DATE = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

function checkDate(date: Date): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new TypeError('A schedule needs a valid Date');
  return ms;
}

function readDate(value: string | Date | null | undefined): Date {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value === '') return NEVER;
  const d = new Date(value);
  return Number.isFinite(d.getTime()) ? d : NEVER;
}

function isNever(date: Date): boolean {
  // .NET's default(DateTimeOffset) is written in local time, so allow a day either side of it.
  return date.getTime() < NEVER.getTime() + DAY_MS;
}

function makeStatus(last: Date, next: Date, lastUpdated: Date, schedule: Schedule): ScheduleStatus {
  const zone = resolveZone(schedule.timeZone, undefined);
  return {
    Last: isNever(last) ? formatInZone(NEVER, utcZone('UTC')) : formatInZone(last, zone),
    Next: formatInZone(next, zone),
    LastUpdated: isNever(lastUpdated) ? formatInZone(NEVER, utcZone('UTC')) : formatInZone(lastUpdated, zone),
  };
}

function wallToMs(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return MAX_DAYS[month - 1];
}

function dayOfWeek(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCDay();
}

/** `count` occurrences, each the next after the previous one. */
function successive(schedule: Pick<Schedule, 'next'>, count: number, after: Date): Date[] {
  const out: Date[] = [];
  let t = after;
  for (let i = 0; i < count; i++) {
    t = schedule.next(t);
    out.push(t);
  }
  return out;
}
