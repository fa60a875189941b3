import { describe, expect, it } from 'vitest';
import { joinRoutePrefix } from '../../../shared/local-host/http/route-template/index';

describe('joinRoutePrefix joins the prefix and the route as the host does', () => {
  it.each<[string | undefined, string, string]>([
    ['api', 'products/{id}', 'api/products/{id}'],
    ['', 'products', 'products'],
    [undefined, 'products', 'products'],
    ['/v1/api/', '/products', 'v1/api/products'],
    ['api', '', 'api'],
  ])('%j + %j = %j', (prefix, route, joined) => {
    expect(joinRoutePrefix(prefix, route)).toBe(joined);
  });
});
