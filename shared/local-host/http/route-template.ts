/**
 * HTTP route templates as the Azure Functions host matches them.
 *
 * The host registers every HTTP trigger as an ASP.NET Core route (`{routePrefix}/{route}`) whose
 * HTTP methods are a route constraint. This module parses those templates with ASP.NET Core's
 * syntax and rules, precompiles each one into per-segment matchers, and matches request paths the
 * way ASP.NET Core's `RoutePatternMatcher` does:
 *
 * - literal segments compare case-insensitively;
 * - `{name}`, `{name?}` (trailing only), `{name=default}`, `{*rest}` / `{**rest}` (last segment,
 *   may be empty), complex segments such as `{file}.{ext}` or `{file}.{ext?}`;
 * - inline constraints, chainable: `int long bool datetime decimal double float guid alpha
 *   required minlength(n) maxlength(n) length(n) length(min,max) min(n) max(n) range(min,max)
 *   regex(expr)`. `regex` is case-insensitive and NOT anchored (ASP.NET calls `Regex.IsMatch`),
 *   so write `^...$` to match the whole value;
 * - one trailing slash is ignored, an empty segment (`//`) never matches;
 * - each segment is percent-decoded the way Kestrel decodes a path: everything except `%2F`,
 *   which stays encoded inside its segment (set `decodeEncodedSlash` to turn it into `/`).
 *
 * Invalid templates throw a {@link RouteTemplateError} naming the template, at registration time.
 */

export type RouteParams = Record<string, string>;

export class RouteTemplateError extends Error {
  constructor(
    readonly template: string,
    readonly reason: string,
  ) {
    super(`The route template '${template}' is invalid: ${reason}`);
    this.name = 'RouteTemplateError';
  }
}

export interface CompileRouteOptions {
  /** Decode `%2F` inside a segment to `/` (Kestrel, and so the Functions host, leaves it encoded). */
  decodeEncodedSlash?: boolean;
}

export interface CompiledRoute {
  /** The template as given. */
  readonly template: string;
  /** Parameter names in template order. */
  readonly parameterNames: readonly string[];
  /** ASP.NET Core inbound precedence, one digit per segment (lower sorts first). */
  readonly precedence: readonly number[];
  /** How many of the parameters are optional or have a default (a tie-breaker: fewer wins). */
  readonly optionalCount: number;
  /** Matches a request path (percent-encoded, as on the request line; a query string is ignored). */
  match(path: string): RouteParams | null;
}

/**
 * Joins the host's route prefix (`extensions.http.routePrefix` in host.json, `api` by default,
 * possibly empty) and a function's route, as the host does (`prefix + '/' + route`). Slashes at
 * the joint are normalised so `('/api/', '/items')` gives `api/items`.
 */
export function joinRoutePrefix(prefix: string | null | undefined, route: string): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  const r = route.replace(/^~?\/+/, '');
  if (!p) return r;
  return r ? `${p}/${r}` : p;
}

export function compileRoute(template: string, options: CompileRouteOptions = {}): CompiledRoute {
  return new Route(template, parseTemplate(template), options.decodeEncodedSlash === true);
}

/** Orders two compiled routes as ASP.NET Core does (negative: `a` is tried first). */
export function compareRoutePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    // A missing digit is 0: the precedence is a decimal number, one digit per segment.
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.optionalCount - b.optionalCount;
}

// ---------------------------------------------------------------------------------------------
// Route table
// ---------------------------------------------------------------------------------------------

export interface RouteEntry<T> {
  /** The full template, route prefix included (see {@link joinRoutePrefix}). */
  template: string;
  /** Allowed methods (case-insensitive); `null`, `undefined` or empty means any method. */
  methods?: readonly string[] | null;
  value: T;
}

export type RouteMatch<T> =
  | { kind: 'match'; value: T; params: RouteParams; template: string }
  /** A route matched the path but none of them allows the method. */
  | { kind: 'method-not-allowed'; allowedMethods: string[] }
  | { kind: 'not-found' };

export interface RouteTableOptions extends CompileRouteOptions {
  /**
   * `precedence` (default): ASP.NET Core's route precedence (literal > constrained parameter >
   * parameter > constrained catch-all > catch-all, segment by segment; then fewer optional
   * parameters; then registration order).
   * `registration`: first registered route that matches, which is what the Functions host's
   * `RouteCollection` actually does with its function routes.
   */
  order?: 'precedence' | 'registration';
}

interface TableRoute<T> {
  route: Route;
  methods: Set<string> | null;
  methodList: string[];
  value: T;
  index: number;
}

/** Many routes, matched by (method, path). Registration throws on an invalid template. */
export class RouteTable<T> {
  private readonly entries: TableRoute<T>[] = [];
  private sorted: TableRoute<T>[] | null = [];
  private readonly options: RouteTableOptions;

  constructor(entries: Iterable<RouteEntry<T>> = [], options: RouteTableOptions = {}) {
    this.options = options;
    for (const entry of entries) this.add(entry);
  }

  add(entry: RouteEntry<T>): CompiledRoute {
    const route = new Route(entry.template, parseTemplate(entry.template), this.options.decodeEncodedSlash === true);
    const methodList = [...new Set((entry.methods ?? []).map((method) => method.toUpperCase()))];
    this.entries.push({
      route,
      methods: methodList.length ? new Set(methodList) : null,
      methodList,
      value: entry.value,
      index: this.entries.length,
    });
    this.sorted = null;
    return route;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The routes in the order they are tried. */
  routes(): { template: string; methods: string[] | null; value: T }[] {
    return this.ordered().map((entry) => ({
      template: entry.route.template,
      methods: entry.methods ? [...entry.methodList] : null,
      value: entry.value,
    }));
  }

  match(method: string, path: string): RouteMatch<T> {
    const context = new PathContext(path);
    const upper = method.toUpperCase();
    let allowed: Set<string> | null = null;
    for (const entry of this.ordered()) {
      const params = entry.route.matchContext(context);
      if (!params) continue;
      if (!entry.methods || entry.methods.has(upper)) {
        return { kind: 'match', value: entry.value, params, template: entry.route.template };
      }
      allowed ??= new Set();
      for (const m of entry.methodList) allowed.add(m);
    }
    return allowed ? { kind: 'method-not-allowed', allowedMethods: [...allowed] } : { kind: 'not-found' };
  }

  private ordered(): TableRoute<T>[] {
    if (!this.sorted) {
      const sorted = [...this.entries];
      if (this.options.order !== 'registration') {
        sorted.sort((a, b) => compareRoutePrecedence(a.route, b.route) || a.index - b.index);
      }
      this.sorted = sorted;
    }
    return this.sorted;
  }
}

// ---------------------------------------------------------------------------------------------
// Template model
// ---------------------------------------------------------------------------------------------

interface Constraint {
  readonly text: string;
  test(value: string): boolean;
}

interface Parameter {
  name: string;
  catchAll: boolean;
  optional: boolean;
  defaultValue: string | undefined;
  constraints: Constraint[];
}

type Part = { kind: 'literal'; text: string } | { kind: 'parameter'; parameter: Parameter };

type Segment =
  | { kind: 'literal'; lower: string }
  | { kind: 'parameter'; parameter: Parameter }
  | { kind: 'catch-all'; parameter: Parameter }
  | { kind: 'complex'; parts: ComplexPart[]; optionalTail: boolean; separator: string };

type ComplexPart = { kind: 'literal'; lower: string } | { kind: 'parameter'; parameter: Parameter };

interface ParsedTemplate {
  segments: Segment[];
  parameters: Parameter[];
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const INVALID_NAME_CHARS = /[/{}?*]/;

function parseTemplate(template: string): ParsedTemplate {
  if (typeof template !== 'string') throw new RouteTemplateError(String(template), 'the template must be a string');
  const fail = (reason: string): never => {
    throw new RouteTemplateError(template, reason);
  };

  let text = template;
  if (text.startsWith('~/')) text = text.slice(2);
  else if (text.startsWith('/')) text = text.slice(1);
  else if (text.startsWith('~')) fail("a template may start with '~/' but not with '~' alone");

  const rawSegments: Part[][] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '/') fail('it contains an empty segment (two consecutive slashes)');
    const parts: Part[] = [];
    while (i < text.length && text[i] !== '/') {
      if (text[i] === '{' && text[i + 1] !== '{') {
        i = readParameter(text, i, parts, fail);
      } else {
        i = readLiteral(text, i, parts, fail);
      }
    }
    rawSegments.push(parts);
    if (i < text.length) i++; // the separator; a single trailing slash is allowed
  }

  const segments: Segment[] = [];
  const parameters: Parameter[] = [];
  const seen = new Set<string>();
  for (const parts of rawSegments) {
    for (const part of parts) {
      if (part.kind !== 'parameter') continue;
      const key = part.parameter.name.toLowerCase();
      if (seen.has(key)) fail(`the parameter name '${part.parameter.name}' appears more than once`);
      seen.add(key);
      parameters.push(part.parameter);
    }
    segments.push(buildSegment(parts, fail));
  }

  // A catch-all must be the last part of the last segment.
  segments.forEach((segment, index) => {
    if (segment.kind === 'catch-all' && index !== segments.length - 1) {
      fail(`the catch-all parameter '${segment.parameter.name}' must be the last segment`);
    }
  });

  // An optional parameter may only be followed by optional parameters, parameters with defaults
  // or a catch-all: otherwise a request could never leave it out.
  let sawOptional: string | undefined;
  for (const segment of segments) {
    const omissible = segment.kind === 'catch-all' || (segment.kind === 'parameter' && (segment.parameter.optional || segment.parameter.defaultValue !== undefined));
    if (sawOptional !== undefined && !omissible) {
      fail(`the optional parameter '${sawOptional}' must be at the end of the template (only optional parameters, parameters with defaults or a catch-all may follow it)`);
    }
    if (segment.kind === 'parameter' && segment.parameter.optional) sawOptional ??= segment.parameter.name;
  }

  return { segments, parameters };
}

function readLiteral(text: string, start: number, parts: Part[], fail: (reason: string) => never): number {
  let value = '';
  let i = start;
  while (i < text.length && text[i] !== '/') {
    const c = text[i];
    if (c === '{') {
      if (text[i + 1] === '{') {
        value += '{';
        i += 2;
        continue;
      }
      if (i + 1 >= text.length) fail("it has an unmatched '{'");
      break; // a parameter starts
    }
    if (c === '}') {
      if (text[i + 1] === '}') {
        value += '}';
        i += 2;
        continue;
      }
      fail("it has an unmatched '}' (write '}}' for a literal brace)");
    }
    value += c;
    i++;
  }
  if (value.includes('?')) fail(`the literal '${value}' contains '?', which is not allowed in a route`);
  const last = parts[parts.length - 1];
  if (last?.kind === 'literal') last.text += value;
  else parts.push({ kind: 'literal', text: value });
  return i;
}

function readParameter(text: string, start: number, parts: Part[], fail: (reason: string) => never): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) fail("it has an unmatched '{' (a parameter is not closed)");
    const c = text[i];
    if (c === '{') {
      if (text[i + 1] === '{') {
        i += 2;
        continue;
      }
      fail("a parameter contains an unescaped '{' (write '{{' inside a parameter, e.g. in a regex)");
    }
    if (c === '}') {
      if (text[i + 1] === '}') {
        i += 2;
        continue;
      }
      break;
    }
    i++;
  }
  const inner = text
    .slice(start + 1, i)
    .replace(/\}\}/g, '}')
    .replace(/\{\{/g, '{');
  parts.push({ kind: 'parameter', parameter: parseParameter(inner, fail) });
  return i + 1;
}

function parseParameter(inner: string, fail: (reason: string) => never): Parameter {
  if (inner.length === 0) fail("it has an empty parameter '{}'");
  let start = 0;
  let end = inner.length;
  let catchAll = false;
  if (inner.startsWith('**')) {
    catchAll = true;
    start = 2;
  } else if (inner.startsWith('*')) {
    catchAll = true;
    start = 1;
  }
  let optional = false;
  if (end > start && inner[end - 1] === '?') {
    optional = true;
    end--;
  }
  if (catchAll && optional) fail(`the catch-all parameter '{${inner}}' cannot be optional (a catch-all already matches an empty value)`);

  // The name runs to the first ':' or '=' (a leading one belongs to the name, as in ASP.NET Core).
  let pos = start;
  while (pos < end && !((inner[pos] === ':' || inner[pos] === '=') && pos !== start)) pos++;
  const name = inner.slice(start, pos);
  if (name.length === 0 || INVALID_NAME_CHARS.test(name)) {
    fail(`'${name}' is not a valid parameter name (it must be non-empty and contain none of / { } ? *)`);
  }

  const constraints: Constraint[] = [];
  while (pos < end && inner[pos] === ':') {
    pos++;
    const nameStart = pos;
    while (pos < end && inner[pos] !== ':' && inner[pos] !== '=' && inner[pos] !== '(') pos++;
    const constraintName = inner.slice(nameStart, pos);
    let args: string | undefined;
    if (pos < end && inner[pos] === '(') {
      // The argument list ends at the first ')' that is followed by the end, ':' or '='.
      let close = -1;
      for (let k = pos + 1; k < end; k++) {
        if (inner[k] === ')' && (k + 1 === end || inner[k + 1] === ':' || inner[k + 1] === '=')) {
          close = k;
          break;
        }
      }
      if (close === -1) fail(`the constraint '${inner.slice(nameStart, end)}' of parameter '${name}' has no closing ')'`);
      args = inner.slice(pos + 1, close);
      pos = close + 1;
    }
    if (constraintName.length === 0 && args === undefined) continue; // '::' is ignored, as in ASP.NET Core
    constraints.push(resolveConstraint(constraintName, args, name, fail));
  }

  let defaultValue: string | undefined;
  if (pos < end && inner[pos] === '=') {
    defaultValue = inner.slice(pos + 1, end);
    pos = end;
  }
  if (optional && defaultValue !== undefined) {
    fail(`the parameter '${name}' cannot be both optional and have a default value`);
  }
  return { name, catchAll, optional, defaultValue, constraints };
}

function buildSegment(parts: Part[], fail: (reason: string) => never): Segment {
  if (parts.length === 1) {
    const part = parts[0];
    if (part.kind === 'literal') return { kind: 'literal', lower: part.text.toLowerCase() };
    return part.parameter.catchAll ? { kind: 'catch-all', parameter: part.parameter } : { kind: 'parameter', parameter: part.parameter };
  }
  const shown = parts.map((part) => (part.kind === 'literal' ? part.text : `{${part.parameter.name}}`)).join('');
  let optionalTail = false;
  let separator = '';
  parts.forEach((part, index) => {
    if (part.kind !== 'parameter') return;
    const { parameter } = part;
    if (parameter.catchAll) fail(`the segment '${shown}' has a catch-all parameter, which must be a segment of its own`);
    if (index > 0 && parts[index - 1].kind === 'parameter') {
      fail(`the segment '${shown}' has two consecutive parameters; they must be separated by a literal`);
    }
    if (parameter.optional) {
      if (index !== parts.length - 1) {
        fail(`in the segment '${shown}' the optional parameter '${parameter.name}' must be the last part`);
      }
      const previous = parts[index - 1];
      if (previous.kind !== 'literal' || previous.text !== '.') {
        fail(`in the segment '${shown}' the optional parameter '${parameter.name}' must be preceded by a period (.)`);
      }
      optionalTail = true;
      separator = '.';
    }
  });
  return {
    kind: 'complex',
    parts: parts.map((part) => (part.kind === 'literal' ? { kind: 'literal', lower: part.text.toLowerCase() } : part)),
    optionalTail,
    separator,
  };
}

// ---------------------------------------------------------------------------------------------
// Constraints (ASP.NET Core's inline constraints, parsed with .NET's invariant-culture rules)
// ---------------------------------------------------------------------------------------------

const NO_ARGS = new Set(['int', 'long', 'bool', 'datetime', 'decimal', 'double', 'float', 'guid', 'alpha', 'required']);

function resolveConstraint(rawName: string, args: string | undefined, parameter: string, fail: (reason: string) => never): Constraint {
  const name = rawName.toLowerCase();
  const text = args === undefined ? rawName : `${rawName}(${args})`;
  const bad = (why: string): never => fail(`the constraint '${text}' on parameter '${parameter}' ${why}`);
  if (NO_ARGS.has(name) && args !== undefined) bad('takes no arguments');
  const list = args === undefined ? [] : args.split(',').map((arg) => arg.trim());
  const integers = (count: number): bigint[] => {
    if (args === undefined || list.length !== count) bad(`needs ${count} integer argument${count > 1 ? 's' : ''}`);
    return list.map((arg) => parseDotNetInteger(arg, INT64) ?? bad(`has '${arg}', which is not an integer`));
  };
  const lengthArg = (value: bigint): number => {
    if (value < 0n || value > 2147483647n) bad('needs a length between 0 and 2147483647');
    return Number(value);
  };

  switch (name) {
    case 'int':
      return { text, test: (v) => parseDotNetInteger(v, INT32) !== null };
    case 'long':
      return { text, test: (v) => parseDotNetInteger(v, INT64) !== null };
    case 'bool':
      return { text, test: (v) => BOOL.test(v) };
    case 'datetime':
      return { text, test: isDotNetDateTime };
    case 'decimal':
      return { text, test: isDotNetDecimal };
    case 'double':
    case 'float':
      return { text, test: isDotNetFloat };
    case 'guid':
      return { text, test: isDotNetGuid };
    case 'alpha':
      return { text, test: (v) => ALPHA.test(v) };
    case 'required':
      return { text, test: (v) => v.length > 0 };
    case 'minlength': {
      const [min] = integers(1).map(lengthArg);
      return { text, test: (v) => v.length >= min };
    }
    case 'maxlength': {
      const [max] = integers(1).map(lengthArg);
      return { text, test: (v) => v.length <= max };
    }
    case 'length': {
      if (list.length === 1) {
        const [exact] = integers(1).map(lengthArg);
        return { text, test: (v) => v.length === exact };
      }
      const [min, max] = integers(2).map(lengthArg);
      if (min > max) bad('has a minimum greater than its maximum');
      return { text, test: (v) => v.length >= min && v.length <= max };
    }
    case 'min': {
      const [min] = integers(1);
      return { text, test: (v) => compareLong(v, (n) => n >= min) };
    }
    case 'max': {
      const [max] = integers(1);
      return { text, test: (v) => compareLong(v, (n) => n <= max) };
    }
    case 'range': {
      const [min, max] = integers(2);
      if (min > max) bad('has a minimum greater than its maximum');
      return { text, test: (v) => compareLong(v, (n) => n >= min && n <= max) };
    }
    case 'regex': {
      if (args === undefined || args.length === 0) return bad('needs a regular expression');
      let regex: RegExp;
      try {
        regex = new RegExp(translateDotNetRegex(args), 'i');
      } catch (error) {
        return bad(`has a regular expression JavaScript cannot compile (${(error as Error).message})`);
      }
      // ASP.NET Core calls Regex.IsMatch: a match anywhere in the value satisfies the constraint.
      return { text, test: (v) => regex.test(v) };
    }
    default:
      return bad(`is not a known constraint (known: int, long, bool, datetime, decimal, double, float, guid, alpha, required, minlength, maxlength, length, min, max, range, regex)`);
  }
}

/** `\A`, `\z` and `\Z` are .NET anchors JavaScript lacks; everything else is passed as written. */
function translateDotNetRegex(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1];
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else out += c + n;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

const INT32 = { min: -2147483648n, max: 2147483647n };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };
// .NET NumberStyles.Integer: leading/trailing white space (\t\n\v\f\r and space) and a leading sign.
const INTEGER = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)[\t\n\v\f\r ]*$/;

function parseDotNetInteger(value: string, range: { min: bigint; max: bigint }): bigint | null {
  const m = INTEGER.exec(value);
  if (!m) return null;
  const n = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]);
  return n < range.min || n > range.max ? null : n;
}

function compareLong(value: string, predicate: (n: bigint) => boolean): boolean {
  const n = parseDotNetInteger(value, INT64);
  return n !== null && predicate(n);
}

const BOOL = /^\s*(?:true|false)\s*$/i;
const ALPHA = /^[A-Za-z]*$/;
const WS = '[\\t\\n\\v\\f\\r ]*';
// NumberStyles.Float | AllowThousands (double, float): no trailing sign; exponent allowed.
const FLOAT = new RegExp(`^${WS}[+-]?(?:[0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?${WS}$`);
const FLOAT_SYMBOL = new RegExp(`^${WS}[+-]?(?:infinity|\u221e|nan)${WS}$`, 'i');
// NumberStyles.Number (decimal): leading or trailing sign, thousands, no exponent.
const DECIMAL = new RegExp(`^${WS}([+-]?)((?:[0-9][0-9,]*)?)(?:\\.([0-9]*))?([+-]?)${WS}$`);
const DECIMAL_MAX = 79228162514264337593543950335n;

function isDotNetFloat(value: string): boolean {
  return FLOAT.test(value) || FLOAT_SYMBOL.test(value);
}

function isDotNetDecimal(value: string): boolean {
  const m = DECIMAL.exec(value);
  if (!m) return false;
  const [, lead, whole, fraction = '', trail] = m;
  if (lead && trail) return false;
  if (!whole && !fraction) return false;
  const digits = whole.replace(/,/g, '').replace(/^0+/, '');
  return digits.length < 29 || (digits.length === 29 && BigInt(digits) <= DECIMAL_MAX);
}

const HEX = '[0-9A-Fa-f]';
const GUID_D = `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`;
const GUID = new RegExp(
  `^\\s*(?:${HEX}{32}|${GUID_D}|\\{${GUID_D}\\}|\\(${GUID_D}\\)|` + `\\{0[xX]${HEX}{1,8},0[xX]${HEX}{1,4},0[xX]${HEX}{1,4},\\{(?:0[xX]${HEX}{1,2},){7}0[xX]${HEX}{1,2}\\}\\})\\s*$`,
);

function isDotNetGuid(value: string): boolean {
  return GUID.test(value);
}

// DateTime.TryParse(value, InvariantCulture) is very lenient; this accepts the forms that matter
// in a URL: ISO 8601 dates and date-times (with 'T' or a space, fractions and an offset), the
// invariant culture's M/d/yyyy (also with '-' or '.'), yyyy/M/d, and a time of day alone.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,7})?)?\\s*(am|pm|a|p)?';
const ZONE = '(?:z|[+-]\\d{2}(?::?\\d{2})?)?';
const DATE_YMD = new RegExp(`^\\s*(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?:(?:t|\\s+)${TIME})?\\s*${ZONE}\\s*$`, 'i');
const DATE_MDY = new RegExp(`^\\s*(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})(?:\\s+${TIME})?\\s*$`, 'i');
const TIME_ONLY = new RegExp(`^\\s*${TIME}\\s*$`, 'i');
const DATE_NAMED = /^\s*(?:(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))\s*$/i;

function isDotNetDateTime(value: string): boolean {
  let m = DATE_YMD.exec(value);
  if (m) return validDate(+m[1], +m[2], +m[3]) && validTime(m[4], m[5], m[6], m[7]);
  m = DATE_MDY.exec(value);
  if (m) return validDate(+m[3], +m[1], +m[2]) && validTime(m[4], m[5], m[6], m[7]);
  m = TIME_ONLY.exec(value);
  if (m) return validTime(m[1], m[2], m[3], m[4]);
  m = DATE_NAMED.exec(value);
  if (m) {
    const [day, monthName, year] = m[1] ? [m[1], m[2], m[3]] : [m[5], m[4], m[6]];
    const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
    const full = monthName.toLowerCase();
    const known = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
    if (month === 0 || !(full.length === 3 || known[month - 1] === full || (month === 9 && full === 'sept'))) return false;
    return validDate(+year, month, +day);
  }
  return false;
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function validTime(hour?: string, minute?: string, second?: string, meridiem?: string): boolean {
  if (hour === undefined) return true;
  const h = +hour;
  if (meridiem ? h < 0 || h > 12 : h > 23) return false;
  return +minute! <= 59 && (second === undefined || +second <= 59);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/** A request path split once into segments; decoding is lazy and cached for all routes. */
class PathContext {
  readonly path: string;
  /** Offsets of each segment's first character and one past its last. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly decoded: (string | undefined)[][] = [[], []];
  private readonly lowered: (string | undefined)[][] = [[], []];

  constructor(rawPath: string) {
    let path = rawPath;
    const cut = path.search(/[?#]/);
    if (cut !== -1) path = path.slice(0, cut);
    if (!path.startsWith('/')) path = `/${path}`;
    this.path = path;
    // As ASP.NET Core's PathTokenizer: split on '/', ignoring the leading one and one trailing one.
    const last = path.endsWith('/') ? path.length - 1 : path.length;
    let start = 1;
    if (last >= 1) {
      for (let i = 1; i <= last; i++) {
        if (i === last || path.charCodeAt(i) === 47) {
          this.starts.push(start);
          this.ends.push(i);
          start = i + 1;
        }
      }
    }
  }

  get count(): number {
    return this.starts.length;
  }

  isEmpty(index: number): boolean {
    return this.starts[index] === this.ends[index];
  }

  segment(index: number, decodeSlash: boolean): string {
    const cache = this.decoded[decodeSlash ? 1 : 0];
    let value = cache[index];
    if (value === undefined) {
      value = decodePath(this.path.slice(this.starts[index], this.ends[index]), decodeSlash);
      cache[index] = value;
    }
    return value;
  }

  lower(index: number, decodeSlash: boolean): string {
    const cache = this.lowered[decodeSlash ? 1 : 0];
    let value = cache[index];
    if (value === undefined) {
      value = this.segment(index, decodeSlash).toLowerCase();
      cache[index] = value;
    }
    return value;
  }

  /** Everything from the start of a segment to the end of the path (trailing slash included). */
  rest(index: number, decodeSlash: boolean): string {
    return decodePath(this.path.slice(this.starts[index]), decodeSlash);
  }
}

class Route implements CompiledRoute {
  readonly parameterNames: readonly string[];
  readonly precedence: readonly number[];
  readonly optionalCount: number;
  private readonly segments: Segment[];
  private readonly parameters: Parameter[];
  /** Fewest path segments that can match, and most (Infinity with a catch-all). */
  private readonly minSegments: number;
  private readonly maxSegments: number;
  /** Defaults that fail their own constraints can never be used. */
  private readonly usableDefault: Map<Parameter, boolean>;

  constructor(
    readonly template: string,
    parsed: ParsedTemplate,
    private readonly decodeSlash: boolean,
  ) {
    this.segments = parsed.segments;
    this.parameters = parsed.parameters;
    this.parameterNames = parsed.parameters.map((parameter) => parameter.name);
    this.optionalCount = parsed.parameters.filter((p) => p.optional || p.defaultValue !== undefined).length;
    this.precedence = parsed.segments.map(precedenceDigit);
    let min = 0;
    parsed.segments.forEach((segment, index) => {
      const omissible = segment.kind === 'catch-all' || (segment.kind === 'parameter' && (segment.parameter.optional || segment.parameter.defaultValue !== undefined));
      if (!omissible) min = index + 1;
    });
    this.minSegments = min;
    const last = parsed.segments[parsed.segments.length - 1];
    this.maxSegments = last?.kind === 'catch-all' ? Infinity : parsed.segments.length;
    this.usableDefault = new Map(parsed.parameters.filter((p) => p.defaultValue !== undefined).map((p) => [p, p.constraints.every((constraint) => constraint.test(p.defaultValue!))]));
  }

  match(path: string): RouteParams | null {
    return this.matchContext(new PathContext(path));
  }

  matchContext(context: PathContext): RouteParams | null {
    const count = context.count;
    if (count < this.minSegments || count > this.maxSegments) return null;
    const segments = this.segments;
    const decodeSlash = this.decodeSlash;

    // First pass: cheap checks (empty segments, literals) before anything is allocated.
    for (let i = 0; i < count; i++) {
      const segment = segments[i];
      if (context.isEmpty(i)) return null;
      if (segment.kind === 'catch-all') break;
      if (segment.kind === 'literal' && context.lower(i, decodeSlash) !== segment.lower) return null;
    }

    const params: RouteParams = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (segment.kind === 'literal') continue;
      if (segment.kind === 'catch-all') {
        const value = i < count ? context.rest(i, decodeSlash) : '';
        if (value.length > 0) {
          if (!satisfies(segment.parameter, value)) return null;
          setParam(params, segment.parameter.name, value);
        } else if (segment.parameter.defaultValue === undefined && segment.parameter.constraints.length > 0) {
          // ASP.NET Core checks a constrained catch-all even when it is empty, and no value fails.
          return null;
        } else if (!this.applyDefault(params, segment.parameter)) {
          return null;
        }
        break;
      }
      if (i >= count) {
        // Left out: only optional parameters and parameters with a default get here (minSegments).
        if (segment.kind === 'parameter' && !this.applyDefault(params, segment.parameter)) return null;
        continue;
      }
      if (segment.kind === 'parameter') {
        const value = context.segment(i, decodeSlash);
        if (!satisfies(segment.parameter, value)) return null;
        setParam(params, segment.parameter.name, value);
      } else if (!matchComplex(segment, context.segment(i, decodeSlash), params)) {
        return null;
      }
    }
    // Parameters of complex segments left out (an optional tail) get their defaults, if any.
    for (const parameter of this.parameters) {
      if (parameter.defaultValue !== undefined && !Object.hasOwn(params, parameter.name)) {
        if (!this.applyDefault(params, parameter)) return null;
      }
    }
    return params;
  }

  private applyDefault(params: RouteParams, parameter: Parameter): boolean {
    if (parameter.defaultValue === undefined) return true; // optional, or an empty catch-all: absent
    if (!this.usableDefault.get(parameter)) return false;
    setParam(params, parameter.name, parameter.defaultValue);
    return true;
  }
}

function satisfies(parameter: Parameter, value: string): boolean {
  const constraints = parameter.constraints;
  for (let i = 0; i < constraints.length; i++) if (!constraints[i].test(value)) return false;
  return true;
}

function setParam(params: RouteParams, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  else params[name] = value;
}

/**
 * Complex segments (`{file}.{ext}`, `v{major}.{minor}`) match right to left: each literal is the
 * last occurrence (case-insensitive) left of what has been matched, leaving at least one
 * character for the parameter on its right. With an optional tail (`{file}.{ext?}`) a value that
 * does not match with the tail is tried without it, unless it ends with the separator.
 */
function matchComplex(segment: Extract<Segment, { kind: 'complex' }>, value: string, params: RouteParams): boolean {
  const lower = value.toLowerCase();
  let captured = matchComplexParts(segment.parts, segment.parts.length - 1, value, lower);
  if (!captured && segment.optionalTail && !lower.endsWith(segment.separator)) {
    captured = matchComplexParts(segment.parts, segment.parts.length - 3, value, lower);
  }
  if (!captured) return false;
  // Constraints are checked on the values the pattern produced (they do not steer the match).
  for (const [parameter, text] of captured) if (!satisfies(parameter, text)) return false;
  for (const [parameter, text] of captured) setParam(params, parameter.name, text);
  return true;
}

function matchComplexParts(parts: ComplexPart[], lastIndex: number, value: string, lower: string): [Parameter, string][] | null {
  const captured: [Parameter, string][] = [];
  let end = value.length;
  let pending: Parameter | null = null;
  for (let index = lastIndex; index >= 0; index--) {
    const part = parts[index];
    if (part.kind === 'parameter') {
      pending = part.parameter;
      if (index === 0) {
        if (end === 0) return null;
        captured.push([pending, value.slice(0, end)]);
        pending = null;
      }
      continue;
    }
    const limit = pending ? end - 1 : end;
    if (limit <= 0) return null;
    const at = lower.lastIndexOf(part.lower, limit - part.lower.length);
    if (at === -1 || at + part.lower.length > limit) return null;
    if (index === parts.length - 1 && at + part.lower.length !== value.length) return null;
    if (pending) {
      const text = value.slice(at + part.lower.length, end);
      if (text.length === 0) return null;
      captured.push([pending, text]);
      pending = null;
    }
    end = at;
  }
  if (end !== 0 && parts[0].kind !== 'parameter') return null;
  return captured;
}

/**
 * ASP.NET Core's inbound precedence digit: 1 literal, 2 constrained parameter or complex segment,
 * 3 parameter, 4 constrained catch-all, 5 catch-all.
 */
function precedenceDigit(segment: Segment): number {
  switch (segment.kind) {
    case 'literal':
      return 1;
    case 'complex':
      return 2;
    case 'parameter':
      return segment.parameter.constraints.length > 0 ? 2 : 3;
    case 'catch-all':
      return segment.parameter.constraints.length > 0 ? 4 : 5;
  }
}

// ---------------------------------------------------------------------------------------------
// Percent-decoding as Kestrel does it: valid UTF-8 escapes are decoded, invalid ones are left as
// written, and %2F stays encoded unless asked otherwise.
// ---------------------------------------------------------------------------------------------

function decodePath(raw: string, decodeSlash: boolean): string {
  if (raw.indexOf('%') === -1) return raw;
  if (decodeSlash || !/%2f/i.test(raw)) {
    try {
      return decodeURIComponent(raw);
    } catch {
      // fall through to the tolerant decoder
    }
  }
  let out = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.charCodeAt(i) !== 37 /* % */) {
      const next = raw.indexOf('%', i);
      const stop = next === -1 ? raw.length : next;
      out += raw.slice(i, stop);
      i = stop;
      continue;
    }
    // Collect a run of %XX escapes (a kept %2F ends the run).
    const bytes: number[] = [];
    const texts: string[] = [];
    let j = i;
    while (j + 2 < raw.length && raw.charCodeAt(j) === 37 && isHex(raw.charCodeAt(j + 1)) && isHex(raw.charCodeAt(j + 2))) {
      const byte = parseInt(raw.slice(j + 1, j + 3), 16);
      if (byte === 0x2f && !decodeSlash) break;
      bytes.push(byte);
      texts.push(raw.slice(j, j + 3));
      j += 3;
    }
    if (bytes.length === 0) {
      // A lone '%', a malformed escape, or a kept %2F: copy it as written.
      const keep = raw.charCodeAt(i + 1) === 50 && (raw[i + 2] === 'f' || raw[i + 2] === 'F') ? 3 : 1;
      out += raw.slice(i, i + keep);
      i += keep;
      continue;
    }
    out += decodeUtf8(bytes, texts);
    i = j;
  }
  return out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function decodeUtf8(bytes: number[], texts: string[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let length = 0;
    let min = 0;
    let cp = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      cp = b & 0x07;
      min = 0x10000;
    }
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) valid = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (valid && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) valid = false;
    if (valid) {
      out += String.fromCodePoint(cp);
      i += length;
    } else {
      out += texts[i];
      i++;
    }
  }
  return out;
}
