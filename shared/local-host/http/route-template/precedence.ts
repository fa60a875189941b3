/** The order in which ASP.NET Core tries routes, and so the order a route table tries them in. */

import type { CompiledRoute, Segment } from './template';

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

/**
 * ASP.NET Core's inbound precedence digit: 1 literal, 2 constrained parameter or complex segment,
 * 3 parameter, 4 constrained catch-all, 5 catch-all.
 */
export function precedenceDigit(segment: Segment): number {
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
