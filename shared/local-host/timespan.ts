/** .NET TimeSpan text, as host.json and timer schedules use it. */

/**
 * .NET `TimeSpan.TryParse` (invariant): `d`, `[-][d.]hh:mm[:ss[.fffffff]]` and `[-]d:hh:mm[:ss[.fffffff]]`.
 * As the runtime documents, `hh:mm:ss` with hours of 24 or more is read as `d:hh:mm`
 * ("24:00:00" is 24 days, not one).
 */
export function tryParseTimeSpan(expression: string): number | null {
  const text = expression.trim();
  let m = /^(-)?(\d+)$/.exec(text);
  if (m) return sign(m[1]) * Number(m[2]) * DAY_MS;
  m = /^(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?$/.exec(text);
  if (!m) {
    m = /^(-)?(\d+):(\d+):(\d+):(\d+)(?:\.(\d{1,7}))?$/.exec(text);
    if (!m) return null;
    const [, neg, d, h, mi, s, f] = m;
    if (+h > 23 || +mi > 59 || +s > 59) return null;
    return sign(neg) * (+d * DAY_MS + +h * 3_600_000 + +mi * 60_000 + +s * 1000 + fraction(f));
  }
  const [, neg, days, hours, minutes, seconds, frac] = m;
  if (days === undefined && seconds !== undefined && +hours > 23) {
    // "24:00:00": too many hours, so it is days:hours:minutes.
    if (+minutes > 23 || +seconds > 59 || frac !== undefined) return null;
    return sign(neg) * (+hours * DAY_MS + +minutes * 3_600_000 + +seconds * 60_000);
  }
  if (+hours > 23 || +minutes > 59 || (seconds !== undefined && +seconds > 59)) return null;
  return sign(neg) * ((days ? +days * DAY_MS : 0) + +hours * 3_600_000 + +minutes * 60_000 + (seconds ? +seconds * 1000 : 0) + fraction(frac));
}

export const DAY_MS = 86_400_000;
const sign = (neg: string | undefined) => (neg ? -1 : 1);
const fraction = (digits: string | undefined) => (digits ? Math.round(Number(`0.${digits}`) * 1000) : 0);

export function formatTimeSpan(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const rest = ms - days * DAY_MS;
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(rest / 3_600_000);
  const mi = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  const frac = rest % 1000;
  return `${days ? `${days}.` : ''}${pad(h)}:${pad(mi)}:${pad(s)}${frac ? `.${String(frac).padStart(3, '0')}0000` : ''}`;
}

/** Parses a TimeSpan setting into milliseconds; `-1` means no limit. Throws naming the bad value. */
export function parseTimeSpan(value: string): number {
  if (value.trim() === '-1') return Number.POSITIVE_INFINITY;
  const ms = tryParseTimeSpan(value);
  if (ms === null || ms < 0) throw new Error(`"${value}" is not a TimeSpan (expected hh:mm:ss or d.hh:mm:ss)`);
  return ms;
}
