/** IANA time zones through Intl: wall times, offsets, and how .NET places a wall time in a DST change. */

import { checkDate, ScheduleExpressionError } from './schedule';

/** A wall-clock time in some zone, to the second. */
export interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface Zone {
  readonly name: string;
  readonly isUtc: boolean;
  wall(ms: number): Wall;
  /** Offset from UTC in ms at an instant (local = utc + offset). */
  offsetAt(ms: number): number;
  /** The instant .NET gives a wall time, and whether that wall time occurs twice. */
  resolve(wallMs: number): { instant: number; ambiguous: boolean };
}

const zones = new Map<string, Zone>();

export function resolveZone(name: string | undefined, expression: string | undefined): Zone {
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

export function utcZone(name: string): Zone {
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

export function formatInZone(date: Date, zone: Zone): string {
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

/**
 * The zone timer schedules use: `WEBSITE_TIME_ZONE`, else `TZ`, else UTC. On Linux the runtime
 * reads `TZ`-style IANA names (Windows plans take Windows names such as "Eastern Standard Time",
 * which are rejected here with a hint). A leading ':' (POSIX `TZ=:Europe/Paris`) is ignored.
 */
export function timeZoneFromEnvironment(env: Record<string, string | undefined> = process.env): string {
  const raw = (env.WEBSITE_TIME_ZONE || env.TZ || 'UTC').trim().replace(/^:/, '');
  return resolveZone(raw, undefined).name;
}

export function wallToMs(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}
