/**
 * Time-zone arithmetic from the runtime's own tz data (Intl), so no table to keep. A buyer gives a
 * country, not a zone: the buyer's offset is the middle (median) offset of the country's zones as
 * ICU lists them — exact for one-zone countries, the country's middle for wide ones (US, Brazil).
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Offsets change only at summer-time switches, on the hour: remembered per zone (or country) and UTC hour. */
const offsets = new Map<string, number | undefined>();
const HOUR_MS = 3_600_000;

function remembered(key: string, at: Date, work: () => number | undefined): number | undefined {
  const slot = `${key}@${Math.floor(at.getTime() / HOUR_MS)}`;
  if (!offsets.has(slot)) {
    // One hour's worth at a time keeps the memo small.
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(slot, work());
  }
  return offsets.get(slot);
}

const days = new Map<string, string>();

/** The calendar date (YYYY-MM-DD) in a zone at an instant (remembered per zone and minute). */
export function dayIn(timeZone: string, at: Date): string {
  const slot = `${timeZone}@${Math.floor(at.getTime() / 60_000)}`;
  let day = days.get(slot);
  if (day === undefined) {
    let format = dayFormats.get(timeZone);
    if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
    if (days.size > 10_000) days.clear();
    days.set(slot, (day = format.format(at)));
  }
  return day;
}

/** A zone's offset from UTC in hours at an instant (summer time included). */
export function utcOffsetHours(timeZone: string, at: Date): number {
  return remembered(timeZone, at, () => computeOffset(timeZone, at))!;
}

function computeOffset(timeZone: string, at: Date): number {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) + Number(match[3]) / 60) : 0;
}

/** The IANA zones ICU lists for a country (Node 20 has the `timeZones` getter, newer Nodes `getTimeZones()`). */
function zonesOf(country: string): string[] {
  const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };
  return locale.getTimeZones?.() ?? locale.timeZones ?? [];
}

/** The country's middle UTC offset at an instant; undefined for a country without zones. */
export function countryOffsetHours(country: string, at: Date): number | undefined {
  return remembered(`country:${country}`, at, () => {
    const sorted = zonesOf(country)
      .map((zone) => utcOffsetHours(zone, at))
      .sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
  });
}

export const formatOffset = (hours: number): string => `UTC${hours < 0 ? '-' : '+'}${Math.abs(hours) % 1 ? Math.abs(hours).toFixed(1) : Math.abs(hours)}`;
