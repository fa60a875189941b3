/** A fragment of SQL with its positional parameters, so values never end up in the SQL text. */
export type SqlParam = string | number | null;

export interface Sql {
  readonly text: string;
  readonly params: readonly SqlParam[];
}

export function sql(text: string, ...params: SqlParam[]): Sql {
  return { text, params };
}

/** Joins fragments, keeping each one's parameters in the order its text appears. */
export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((part) => part.text).join(separator), params: parts.flatMap((part) => part.params) };
}

export const TRUE = sql('1');
export const FALSE = sql('0');
