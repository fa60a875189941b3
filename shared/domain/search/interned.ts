/**
 * One shared copy of each short value drawn from a closed list (country, language, currency,
 * taxonomy id, industry, level, time zone). Parsing a stored document makes a fresh string for
 * every value, so 50,000 indexed profiles would otherwise hold a million copies of "en" and "US":
 * each one more object for every garbage collection to visit. Only values the schemas bound may
 * come here, so the pool stays small.
 */
const pool = new Map<string, string>();

export function interned(value: string): string {
  const shared = pool.get(value);
  if (shared !== undefined) return shared;
  pool.set(value, value);
  return value;
}

export function internedAll(values: readonly string[]): string[] {
  return values.map(interned);
}
