/** What a send/addToGroups `filter` can look at: the service's filterable connection fields. */
export interface FilterSubject {
  connectionId: string;
  userId: string | null;
  groups: ReadonlySet<string>;
}

export type FilterPredicate = (subject: FilterSubject) => boolean;

export class FilterSyntaxError extends Error {}

type Value = string | number | null | ReadonlySet<string>;
type Expr = (subject: FilterSubject) => Value | boolean;

const TOKEN = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\(|\)|,))/y;

/**
 * Parses the OData subset the service documents for filters: `userId`, `connectionId` and
 * `groups`; `eq ne gt ge lt le`, `and or not`, parentheses, `'g' in groups`, `length(x)`,
 * string, number and `null` literals.
 */
export function parseFilter(text: string): FilterPredicate {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const next = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new FilterSyntaxError(`Unexpected end of filter: ${text}`);
    return token;
  };
  const keyword = (word: string): boolean => peek()?.toLowerCase() === word && (position++, true);

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (keyword('or')) {
      const [a, b] = [left, parseAnd()];
      left = (s) => truthy(a(s)) || truthy(b(s));
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseUnary();
    while (keyword('and')) {
      const [a, b] = [left, parseUnary()];
      left = (s) => truthy(a(s)) && truthy(b(s));
    }
    return left;
  };
  const parseUnary = (): Expr => {
    if (keyword('not')) {
      const inner = parseUnary();
      return (s) => !truthy(inner(s));
    }
    return parseComparison();
  };
  const parseComparison = (): Expr => {
    const left = parsePrimary();
    const operator = peek()?.toLowerCase();
    if (operator === 'in') {
      position++;
      const right = parsePrimary();
      return (s) => {
        const set = right(s);
        return set instanceof Set && set.has(String(left(s)));
      };
    }
    if (!operator || !COMPARE[operator]) return left;
    position++;
    const right = parsePrimary();
    const compare = COMPARE[operator];
    return (s) => compare(left(s) as Value, right(s) as Value);
  };
  const parsePrimary = (): Expr => {
    const token = next();
    if (token === '(') {
      const inner = parseOr();
      if (next() !== ')') throw new FilterSyntaxError(`Missing ')' in filter: ${text}`);
      return inner;
    }
    if (token.startsWith("'")) {
      const value = token.slice(1, -1).replace(/''/g, "'");
      return () => value;
    }
    if (/^\d/.test(token)) return () => Number(token);
    switch (token.toLowerCase()) {
      case 'null':
        return () => null;
      case 'userid':
        return (s) => s.userId;
      case 'connectionid':
        return (s) => s.connectionId;
      case 'groups':
        return (s) => s.groups;
      case 'length': {
        if (next() !== '(') throw new FilterSyntaxError(`length needs '(' in filter: ${text}`);
        const inner = parseOr();
        if (next() !== ')') throw new FilterSyntaxError(`Missing ')' in filter: ${text}`);
        return (s) => {
          const value = inner(s);
          return typeof value === 'string' ? value.length : value instanceof Set ? value.size : null;
        };
      }
      default:
        throw new FilterSyntaxError(`Unknown identifier '${token}' in filter: ${text}`);
    }
  };

  const expression = parseOr();
  if (position !== tokens.length) throw new FilterSyntaxError(`Unexpected '${peek()}' in filter: ${text}`);
  return (subject) => truthy(expression(subject));
}

const COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a !== null && b !== null && a > b,
  ge: (a, b) => a !== null && b !== null && a >= b,
  lt: (a, b) => a !== null && b !== null && a < b,
  le: (a, b) => a !== null && b !== null && a <= b,
};

function truthy(value: Value | boolean): boolean {
  return value === true;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new FilterSyntaxError(`Cannot read filter at position ${start}: ${text}`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]!);
  }
  return tokens;
}
