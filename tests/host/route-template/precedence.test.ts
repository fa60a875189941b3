import { describe, expect, it } from 'vitest';
import { compareRoutePrecedence, compileRoute } from '../../../shared/local-host/http/route-template/index';

describe('precedence', () => {
  const order = (...templates: string[]) =>
    templates
      .map((t) => compileRoute(t))
      .sort(compareRoutePrecedence)
      .map((r) => r.template);

  it('orders literal > constrained > parameter > constrained catch-all > catch-all', () => {
    expect(order('api/{*rest}', 'api/{id}', 'api/{*rest:minlength(1)}', 'api/ping', 'api/{id:int}')).toEqual(['api/ping', 'api/{id:int}', 'api/{id}', 'api/{*rest:minlength(1)}', 'api/{*rest}']);
  });

  it('decides on the first differing segment', () => {
    expect(order('api/{a}/x', 'api/x/{a}')).toEqual(['api/x/{a}', 'api/{a}/x']);
  });

  it('prefers non-optional over optional', () => {
    expect(order('api/{id?}', 'api/{id}')).toEqual(['api/{id}', 'api/{id?}']);
  });
});
