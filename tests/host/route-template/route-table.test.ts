import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../shared/local-host/http/route-template/index';

describe('RouteTable', () => {
  const table = new RouteTable<string>([
    { template: 'api/{*rest}', methods: ['GET'], value: 'catch-all' },
    { template: 'api/products/{id}', methods: ['GET', 'put'], value: 'product' },
    { template: 'api/products/{id:int}', methods: ['DELETE'], value: 'product-int' },
    { template: 'api/products/featured', methods: ['GET'], value: 'featured' },
    { template: 'api/orders', methods: ['POST'], value: 'orders' },
    { template: 'api/any', value: 'any' },
  ]);

  it('finds the best match by precedence, whatever the registration order', () => {
    expect(table.match('GET', '/api/products/featured')).toMatchObject({ kind: 'match', value: 'featured', params: {} });
    expect(table.match('GET', '/api/products/42')).toMatchObject({ kind: 'match', value: 'product', params: { id: '42' } });
    expect(table.match('DELETE', '/api/products/42')).toMatchObject({ kind: 'match', value: 'product-int', params: { id: '42' } });
    expect(table.match('GET', '/api/other/thing')).toMatchObject({ kind: 'match', value: 'catch-all', params: { rest: 'other/thing' } });
  });

  it('falls through to a lower-precedence route that allows the method', () => {
    // 'api/products/featured' is GET-only; PUT goes to 'api/products/{id}'.
    expect(table.match('PUT', '/api/products/featured')).toMatchObject({ kind: 'match', value: 'product', params: { id: 'featured' } });
    expect(table.match('get', '/api/orders')).toMatchObject({ kind: 'match', value: 'catch-all', params: { rest: 'orders' } });
  });

  it('tells a method mismatch from no route', () => {
    expect(table.match('PATCH', '/api/products/42')).toEqual({ kind: 'method-not-allowed', allowedMethods: ['DELETE', 'GET', 'PUT'] });
    expect(table.match('GET', '/nothing/here')).toEqual({ kind: 'not-found' });
  });

  it('lets a route without methods take any method', () => {
    expect(table.match('OPTIONS', '/api/any')).toMatchObject({ kind: 'match', value: 'any' });
  });

  it('breaks ties by registration order', () => {
    const tie = new RouteTable<string>([
      { template: 'a/{x}', value: 'first' },
      { template: 'a/{y}', value: 'second' },
    ]);
    expect(tie.match('GET', '/a/1')).toMatchObject({ value: 'first', params: { x: '1' } });
  });

  it('can use registration order only, as the Functions host does', () => {
    const host = new RouteTable<string>(
      [
        { template: 'api/{userId}', value: 'user' },
        { template: 'api/ping', value: 'ping' },
      ],
      { order: 'registration' },
    );
    expect(host.match('GET', '/api/ping')).toMatchObject({ value: 'user', params: { userId: 'ping' } });
  });

  it('accepts routes added later and lists them in match order', () => {
    const t = new RouteTable<number>();
    t.add({ template: 'x/{id}', value: 1 });
    expect(t.match('GET', '/x/y')).toMatchObject({ value: 1 });
    t.add({ template: 'x/y', methods: ['get'], value: 2 });
    expect(t.match('GET', '/x/y')).toMatchObject({ value: 2 });
    expect(t.routes().map((r) => r.template)).toEqual(['x/y', 'x/{id}']);
    expect(t.size).toBe(2);
  });

  it('finds the right route among 200 with a catch-all registered last (speed is measured by npm run bench, not here)', () => {
    const big = new RouteTable<number>();
    for (let i = 0; i < 200; i++) big.add({ template: `api/r${i}/{id:int}/items/{item?}`, methods: ['GET'], value: i });
    big.add({ template: 'api/{*rest}', methods: ['GET'], value: -1 });
    expect(big.match('GET', '/api/r199/42/items/x')).toMatchObject({ value: 199, params: { id: '42', item: 'x' } });
    expect(big.match('GET', '/api/r7/42/items')).toMatchObject({ value: 7, params: { id: '42' } });
    expect(big.match('GET', '/api/r7/not-a-number/items')).toMatchObject({ value: -1, params: { rest: 'r7/not-a-number/items' } });
  });
});
