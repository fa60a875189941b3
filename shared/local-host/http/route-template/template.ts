/** What a route template is once parsed, and what a compiled one offers: the types every step shares. */

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

/** One inline constraint (`int`, `minlength(3)`, ...): does a value satisfy it? */
export type Constraint = (value: string) => boolean;

export interface Parameter {
  name: string;
  catchAll: boolean;
  optional: boolean;
  defaultValue: string | undefined;
  constraints: Constraint[];
}

export type Part = { kind: 'literal'; text: string } | { kind: 'parameter'; parameter: Parameter };

export type Segment =
  | { kind: 'literal'; lower: string }
  | { kind: 'parameter'; parameter: Parameter }
  | { kind: 'catch-all'; parameter: Parameter }
  | { kind: 'complex'; parts: ComplexPart[]; optionalTail: boolean; separator: string };

export type ComplexPart = { kind: 'literal'; lower: string } | { kind: 'parameter'; parameter: Parameter };

export interface ParsedTemplate {
  segments: Segment[];
  parameters: Parameter[];
}

/** A segment a request may leave out: a catch-all, an optional parameter or one with a default. */
export function isOmissible(segment: Segment): boolean {
  return segment.kind === 'catch-all' || (segment.kind === 'parameter' && (segment.parameter.optional || segment.parameter.defaultValue !== undefined));
}
