/** Matching a request path against one compiled route template. */

import { parseTemplate } from './parse';
import { precedenceDigit } from './precedence';
import { PathContext } from './request-path';
import { type CompiledRoute, type CompileRouteOptions, type ComplexPart, isOmissible, type Parameter, type RouteParams, type Segment } from './template';

export function compileRoute(template: string, options: CompileRouteOptions = {}): CompiledRoute {
  return new Route(template, options);
}

/**
 * A template compiled into per-segment matchers that matches request paths the way ASP.NET Core's
 * `RoutePatternMatcher` does.
 */
export class Route implements CompiledRoute {
  readonly precedence: readonly number[];
  readonly optionalCount: number;
  private readonly segments: Segment[];
  private readonly parameters: Parameter[];
  /** Fewest path segments that can match, and most (Infinity with a catch-all). */
  private readonly minSegments: number;
  private readonly maxSegments: number;
  /** Defaults that fail their own constraints can never be used. */
  private readonly usableDefault: Map<Parameter, boolean>;
  private readonly decodeSlash: boolean;

  constructor(
    readonly template: string,
    options: CompileRouteOptions,
  ) {
    const parsed = parseTemplate(template);
    this.decodeSlash = options.decodeEncodedSlash === true;
    this.segments = parsed.segments;
    this.parameters = parsed.parameters;
    this.optionalCount = parsed.parameters.filter((p) => p.optional || p.defaultValue !== undefined).length;
    this.precedence = parsed.segments.map(precedenceDigit);
    let min = 0;
    parsed.segments.forEach((segment, index) => {
      if (!isOmissible(segment)) min = index + 1;
    });
    this.minSegments = min;
    const last = parsed.segments[parsed.segments.length - 1];
    this.maxSegments = last?.kind === 'catch-all' ? Infinity : parsed.segments.length;
    this.usableDefault = new Map(parsed.parameters.filter((p) => p.defaultValue !== undefined).map((p) => [p, p.constraints.every((constraint) => constraint(p.defaultValue!))]));
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
  for (let i = 0; i < constraints.length; i++) if (!constraints[i](value)) return false;
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
