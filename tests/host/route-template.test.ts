import { describe, expect, it } from 'vitest';
import { compileRoute, compareRoutePrecedence, joinRoutePrefix, RouteTable, RouteTemplateError } from '../../shared/local-host/http/route-template/index';

const match = (template: string, path: string) => compileRoute(template).match(path);

describe('joinRoutePrefix', () => {
  it('joins the prefix and the route as the host does', () => {
    expect(joinRoutePrefix('api', 'products/{id}')).toBe('api/products/{id}');
    expect(joinRoutePrefix('', 'products')).toBe('products');
    expect(joinRoutePrefix(undefined, 'products')).toBe('products');
    expect(joinRoutePrefix('/v1/api/', '/products')).toBe('v1/api/products');
    expect(joinRoutePrefix('api', '')).toBe('api');
  });
});

describe('literal segments', () => {
  it('match case-insensitively and give no params', () => {
    expect(match('api/products', '/api/products')).toEqual({});
    expect(match('api/products', '/API/Products')).toEqual({});
    expect(match('api/products', '/api/product')).toBeNull();
    expect(match('api/products', '/api/products/1')).toBeNull();
    expect(match('api/products', '/api')).toBeNull();
  });

  it('tolerate one trailing slash, not an empty segment', () => {
    expect(match('api/products', '/api/products/')).toEqual({});
    expect(match('api/products', '/api//products')).toBeNull();
    expect(match('api/products', '/api/products//')).toBeNull();
  });

  it('ignore a query string and accept a path without a leading slash', () => {
    expect(match('api/products', '/api/products?x=1#frag')).toEqual({});
    expect(match('api/products', 'api/products')).toEqual({});
  });

  it('match an empty template at the root only', () => {
    expect(match('', '/')).toEqual({});
    expect(match('', '')).toEqual({});
    expect(match('', '/x')).toBeNull();
  });

  it('read escaped braces in literals', () => {
    expect(match('api/{{literal}}', '/api/{literal}')).toEqual({});
    expect(match('api/{{literal}}', '/api/%7Bliteral%7D')).toEqual({});
  });

  it('match percent-encoded literals after decoding', () => {
    expect(match('api/hello world', '/api/hello%20world')).toEqual({});
    expect(match('api/café', '/api/caf%C3%A9')).toEqual({});
  });
});

describe('parameters', () => {
  it('capture a segment as a string', () => {
    expect(match('api/products/{id}', '/api/products/42')).toEqual({ id: '42' });
    expect(match('api/{category}/{id}', '/api/Shoes/abc')).toEqual({ category: 'Shoes', id: 'abc' });
  });

  it('keep the case of the value and of the parameter name', () => {
    expect(match('api/{ProductId}', '/API/AbC')).toEqual({ ProductId: 'AbC' });
  });

  it('percent-decode each segment', () => {
    expect(match('api/{name}', '/api/hello%20world')).toEqual({ name: 'hello world' });
    expect(match('api/{name}', '/api/%E2%9C%93')).toEqual({ name: '✓' });
    expect(match('api/{name}', '/api/a+b')).toEqual({ name: 'a+b' });
    expect(match('api/{name}', '/api/100%25')).toEqual({ name: '100%' });
  });

  it('keep an encoded slash inside its segment (encoded, as Kestrel does)', () => {
    expect(match('api/{name}', '/api/a%2Fb')).toEqual({ name: 'a%2Fb' });
    expect(match('api/{name}', '/api/a%2fb%20c')).toEqual({ name: 'a%2fb c' });
    expect(match('api/{name}/x', '/api/a%2Fb/x')).toEqual({ name: 'a%2Fb' });
    expect(compileRoute('api/{name}', { decodeEncodedSlash: true }).match('/api/a%2Fb')).toEqual({ name: 'a/b' });
  });

  it('leave malformed escapes as written', () => {
    expect(match('api/{name}', '/api/50%')).toEqual({ name: '50%' });
    expect(match('api/{name}', '/api/%zz%41')).toEqual({ name: '%zzA' });
    expect(match('api/{name}', '/api/%C3%28')).toEqual({ name: '%C3(' });
  });

  it('require a value for a required parameter', () => {
    expect(match('api/products/{id}', '/api/products')).toBeNull();
    expect(match('api/products/{id}', '/api/products/')).toBeNull();
  });

  it('leave an optional parameter out of params when absent', () => {
    const route = compileRoute('api/products/{category}/{id?}');
    expect(route.match('/api/products/shoes')).toEqual({ category: 'shoes' });
    expect(route.match('/api/products/shoes/')).toEqual({ category: 'shoes' });
    expect(route.match('/api/products/shoes/7')).toEqual({ category: 'shoes', id: '7' });
    expect(route.match('/api/products/shoes/7/8')).toBeNull();
  });

  it('allow several trailing optional parameters', () => {
    const route = compileRoute('api/{a?}/{b?}');
    expect(route.match('/api')).toEqual({});
    expect(route.match('/api/1')).toEqual({ a: '1' });
    expect(route.match('/api/1/2')).toEqual({ a: '1', b: '2' });
  });

  it('fill defaults', () => {
    const route = compileRoute('api/{controller=Home}/{action=Index}/{id?}');
    expect(route.match('/api')).toEqual({ controller: 'Home', action: 'Index' });
    expect(route.match('/api/Products')).toEqual({ controller: 'Products', action: 'Index' });
    expect(route.match('/api/Products/List/3')).toEqual({ controller: 'Products', action: 'List', id: '3' });
  });

  it('do not let a default stand in for a later required segment', () => {
    expect(match('api/{a=x}/{b}', '/api/1')).toBeNull();
    expect(match('api/{a=x}/{b}', '/api/1/2')).toEqual({ a: '1', b: '2' });
  });
});

describe('catch-all parameters', () => {
  it('capture the rest of the path, slashes included', () => {
    expect(match('files/{*path}', '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(match('files/{**path}', '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(match('files/{*path}', '/files/a')).toEqual({ path: 'a' });
  });

  it('keep a trailing slash and decode the rest', () => {
    expect(match('files/{*path}', '/files/a/b/')).toEqual({ path: 'a/b/' });
    expect(match('files/{*path}', '/files/a%20b/c%2Fd')).toEqual({ path: 'a b/c%2Fd' });
  });

  it('may be empty (absent from params)', () => {
    expect(match('files/{*path}', '/files')).toEqual({});
    expect(match('files/{*path}', '/files/')).toEqual({});
  });

  it('use a default when empty', () => {
    expect(match('files/{*path=index.html}', '/files')).toEqual({ path: 'index.html' });
    expect(match('files/{*path=index.html}', '/files/x/y')).toEqual({ path: 'x/y' });
  });

  it('match everything as the whole template', () => {
    expect(match('{*all}', '/')).toEqual({});
    expect(match('{*all}', '/a/b')).toEqual({ all: 'a/b' });
  });

  it('do not accept an empty segment before the catch-all, but do after it', () => {
    expect(match('files/{*path}', '//files/a')).toBeNull();
    expect(match('files/{*path}', '/files/a//b')).toEqual({ path: 'a//b' });
  });

  it('apply constraints to the captured rest', () => {
    const route = compileRoute('n/{*rest:regex(^[0-9/]+$)}');
    expect(route.match('/n/1/2/3')).toEqual({ rest: '1/2/3' });
    expect(route.match('/n/1/x')).toBeNull();
    expect(route.match('/n')).toBeNull();
  });
});

describe('complex segments', () => {
  it('split a segment around literals', () => {
    expect(match('files/{name}.{ext}', '/files/report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
    expect(match('files/{name}.{ext}', '/files/archive.tar.gz')).toEqual({ name: 'archive.tar', ext: 'gz' });
    expect(match('files/{name}.{ext}', '/files/report')).toBeNull();
    expect(match('files/{name}.{ext}', '/files/.pdf')).toBeNull();
    expect(match('files/{name}.{ext}', '/files/report.')).toBeNull();
  });

  it('handle a literal prefix and suffix, case-insensitively', () => {
    expect(match('api/v{version}', '/api/v2')).toEqual({ version: '2' });
    expect(match('api/v{version}', '/api/V2')).toEqual({ version: '2' });
    expect(match('api/v{version}', '/api/v')).toBeNull();
    expect(match('api/v{version}', '/api/x2')).toBeNull();
    expect(match('img/{id}-thumb.png', '/img/42-THUMB.png')).toEqual({ id: '42' });
    expect(match('img/{id}-thumb.png', '/img/42-thumb.jpg')).toBeNull();
    expect(match('img/{id}-thumb.png', '/img/-thumb.png')).toBeNull();
  });

  it('match several parameters in one segment', () => {
    expect(match('date/{year}-{month}-{day}', '/date/2024-02-29')).toEqual({ year: '2024', month: '02', day: '29' });
    expect(match('{a}x{b}y{c}', '/1x2y3')).toEqual({ a: '1', b: '2', c: '3' });
    expect(match('{a}x{b}y{c}', '/1x2y')).toBeNull();
  });

  it('support an optional last parameter after a period', () => {
    const route = compileRoute('files/{name}.{ext?}');
    expect(route.match('/files/report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
    expect(route.match('/files/report')).toEqual({ name: 'report' });
    expect(route.match('/files/report.')).toBeNull();
  });

  it('apply constraints to the parts', () => {
    const route = compileRoute('page{n:int}.html');
    expect(route.match('/page12.html')).toEqual({ n: '12' });
    expect(route.match('/pagex.html')).toBeNull();
  });

  it('do not let a constraint failure fall back to leaving out the optional part', () => {
    const route = compileRoute('files/{name}.{ext:alpha?}');
    expect(route.match('/files/a.txt')).toEqual({ name: 'a', ext: 'txt' });
    expect(route.match('/files/a.123')).toBeNull();
  });
});

describe('constraints', () => {
  const ok = (template: string, value: string) => compileRoute(`x/${template}`).match(`/x/${value}`) !== null;

  it('int and long', () => {
    expect(ok('{id:int}', '42')).toBe(true);
    expect(ok('{id:int}', '-42')).toBe(true);
    expect(ok('{id:int}', '+7')).toBe(true);
    expect(ok('{id:int}', 'abc')).toBe(false);
    expect(ok('{id:int}', '4.2')).toBe(false);
    expect(ok('{id:int}', '2147483647')).toBe(true);
    expect(ok('{id:int}', '2147483648')).toBe(false);
    expect(ok('{id:long}', '2147483648')).toBe(true);
    expect(ok('{id:long}', '9223372036854775808')).toBe(false);
    expect(ok('{id:int}', '%205')).toBe(true); // .NET allows surrounding white space
  });

  it('bool, decimal, double, float', () => {
    expect(ok('{b:bool}', 'true')).toBe(true);
    expect(ok('{b:bool}', 'FALSE')).toBe(true);
    expect(ok('{b:bool}', '1')).toBe(false);
    expect(ok('{d:decimal}', '1,234.50')).toBe(true);
    expect(ok('{d:decimal}', '-.5')).toBe(true);
    expect(ok('{d:decimal}', '1e5')).toBe(false);
    expect(ok('{d:decimal}', '.')).toBe(false);
    expect(ok('{d:double}', '1e5')).toBe(true);
    expect(ok('{d:double}', '-1.5E-3')).toBe(true);
    expect(ok('{d:double}', 'Infinity')).toBe(true);
    expect(ok('{d:double}', 'abc')).toBe(false);
    expect(ok('{f:float}', '3.14')).toBe(true);
    expect(ok('{f:float}', '3.14.1')).toBe(false);
  });

  it('guid and datetime', () => {
    expect(ok('{g:guid}', '0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(ok('{g:guid}', '0f8fad5bd9cb469fa16570867728950e')).toBe(true);
    expect(ok('{g:guid}', '%7B0f8fad5b-d9cb-469f-a165-70867728950e%7D')).toBe(true);
    expect(ok('{g:guid}', '0f8fad5b-d9cb-469f-a165-70867728950')).toBe(false);
    expect(ok('{d:datetime}', '2024-02-29')).toBe(true);
    expect(ok('{d:datetime}', '2024-02-30')).toBe(false);
    expect(ok('{d:datetime}', '2023-02-29')).toBe(false);
    expect(ok('{d:datetime}', '2024-06-01T10:30:00Z')).toBe(true);
    expect(ok('{d:datetime}', '2024-06-01%2010:30')).toBe(true);
    expect(ok('{d:datetime}', 'yesterday')).toBe(false);
  });

  it('alpha, required and lengths', () => {
    expect(ok('{s:alpha}', 'Shoes')).toBe(true);
    expect(ok('{s:alpha}', 'shoes2')).toBe(false);
    expect(ok('{s:alpha}', 'caf%C3%A9')).toBe(false);
    expect(ok('{s:required}', 'x')).toBe(true);
    expect(ok('{s:minlength(3)}', 'ab')).toBe(false);
    expect(ok('{s:minlength(3)}', 'abc')).toBe(true);
    expect(ok('{s:maxlength(3)}', 'abcd')).toBe(false);
    expect(ok('{s:length(3)}', 'abc')).toBe(true);
    expect(ok('{s:length(3)}', 'ab')).toBe(false);
    expect(ok('{s:length(2,4)}', 'abcd')).toBe(true);
    expect(ok('{s:length(2, 4)}', 'abcde')).toBe(false);
  });

  it('min, max and range compare as 64-bit integers', () => {
    expect(ok('{n:min(18)}', '18')).toBe(true);
    expect(ok('{n:min(18)}', '17')).toBe(false);
    expect(ok('{n:min(18)}', 'abc')).toBe(false);
    expect(ok('{n:max(10)}', '-5')).toBe(true);
    expect(ok('{n:max(10)}', '11')).toBe(false);
    expect(ok('{n:range(1,5)}', '5')).toBe(true);
    expect(ok('{n:range(1,5)}', '0')).toBe(false);
  });

  it('regex is case-insensitive and not anchored unless the pattern anchors it', () => {
    expect(ok('{s:regex(^[a-z]{{2}}\\d+$)}', 'AB12')).toBe(true);
    expect(ok('{s:regex(^[a-z]{{2}}\\d+$)}', 'AB12x')).toBe(false);
    expect(ok('{s:regex(\\d+)}', 'abc123def')).toBe(true);
    expect(ok('{s:regex(\\d+)}', 'abc')).toBe(false);
    expect(ok('{s:regex(^(get|create)$)}', 'Create')).toBe(true);
    expect(ok('{t:regex(^\\d{{2}}:\\d{{2}}$)}', '10:30')).toBe(true);
    expect(ok('{s:regex(\\Aab\\z)}', 'ab')).toBe(true);
    expect(ok('{s:regex(\\Aab\\z)}', 'xab')).toBe(false);
  });

  it('chain (all must pass) and accept names in any case', () => {
    expect(ok('{id:int:min(1):max(99)}', '50')).toBe(true);
    expect(ok('{id:int:min(1):max(99)}', '0')).toBe(false);
    expect(ok('{id:INT}', '5')).toBe(true);
    expect(ok('{s:alpha:minlength(2)}', 'a')).toBe(false);
  });

  it('apply to optional parameters only when present', () => {
    const route = compileRoute('products/{category:alpha}/{id:int?}');
    expect(route.match('/products/shoes')).toEqual({ category: 'shoes' });
    expect(route.match('/products/shoes/42')).toEqual({ category: 'shoes', id: '42' });
    expect(route.match('/products/shoes/abc')).toBeNull();
    expect(route.match('/products/123/42')).toBeNull();
  });

  it('apply to defaults too', () => {
    expect(match('p/{id:int=5}', '/p')).toEqual({ id: '5' });
    expect(match('p/{id:int=x}', '/p')).toBeNull();
    expect(match('p/{id:int=x}', '/p/3')).toEqual({ id: '3' });
  });
});

describe('invalid templates throw at registration, naming the template', () => {
  const invalid: [string, RegExp][] = [
    ['api/{id:integer}', /not a known constraint/],
    ['api/{id?}/details', /optional parameter 'id' must be at the end/],
    ['api/{*rest}/more', /catch-all parameter 'rest' must be the last segment/],
    ['api/{id}/{ID}', /'ID' appears more than once/],
    ['api/{id', /unmatched '\{'/],
    ['api/id}', /unmatched '\}'/],
    ['api/{}', /empty parameter/],
    ['api//x', /two consecutive slashes/],
    ['api/{a}{b}', /two consecutive parameters/],
    ['api/{*rest?}', /cannot be optional/],
    ['api/{id?=5}', /is not a valid parameter name|both optional and have a default/],
    ['api/{id=5?}', /both optional and have a default/],
    ['api/{a}-{b?}', /preceded by a period/],
    ['api/{a?}.{b}', /must be the last part/],
    ['api/x{*rest}', /catch-all parameter, which must be a segment of its own/],
    ['api/{id:minlength}', /needs 1 integer argument/],
    ['api/{id:minlength(x)}', /not an integer/],
    ['api/{id:range(5,1)}', /minimum greater than its maximum/],
    ['api/{id:int(3)}', /takes no arguments/],
    ['api/{id:regex(()}', /has no closing|cannot compile/],
    ['api/{id:regex([)}', /cannot compile/],
    ['api/{p:regex(^\\d{3}$)}', /unescaped '\{'/],
    ['api/what?', /contains '\?'/],
    ['api/{a/b}', /not a valid parameter name/],
    ['~api', /'~\/'/],
  ];

  it.each(invalid)('%s', (template, reason) => {
    let error: unknown;
    try {
      compileRoute(template);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RouteTemplateError);
    expect((error as Error).message).toContain(`'${template}'`);
    expect((error as Error).message).toMatch(reason);
  });

  it('also from RouteTable.add', () => {
    const table = new RouteTable<string>();
    expect(() => table.add({ template: 'api/{x:nope}', value: 'x' })).toThrow(/'api\/\{x:nope\}'/);
  });

  it('accepts a leading slash, ~/ and a trailing slash', () => {
    expect(compileRoute('/api/x').match('/api/x')).toEqual({});
    expect(compileRoute('~/api/x').match('/api/x')).toEqual({});
    expect(compileRoute('api/x/').match('/api/x')).toEqual({});
  });
});

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

  it('returns params as plain objects, even for an awkward name', () => {
    const result = compileRoute('x/{__proto__}').match('/x/1');
    expect(Object.keys(result!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
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
