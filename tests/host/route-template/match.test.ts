import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../../shared/local-host/http/route-template/index';
import { matches } from './matches';

describe('literal segments', () => {
  matches('match case-insensitively and give no params', [
    ['api/products', '/api/products', {}],
    ['api/products', '/API/Products', {}],
    ['api/products', '/api/product', null],
    ['api/products', '/api/products/1', null],
    ['api/products', '/api', null],
  ]);

  matches('read escaped braces in literals', [
    ['api/{{literal}}', '/api/{literal}', {}],
    ['api/{{literal}}', '/api/%7Bliteral%7D', {}],
  ]);
});

describe('parameters', () => {
  matches('capture a segment as a string', [
    ['api/products/{id}', '/api/products/42', { id: '42' }],
    ['api/{category}/{id}', '/api/Shoes/abc', { category: 'Shoes', id: 'abc' }],
  ]);

  matches('keep the case of the value and of the parameter name', [['api/{ProductId}', '/API/AbC', { ProductId: 'AbC' }]]);

  matches('require a value for a required parameter', [
    ['api/products/{id}', '/api/products', null],
    ['api/products/{id}', '/api/products/', null],
  ]);

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

  matches('do not let a default stand in for a later required segment', [
    ['api/{a=x}/{b}', '/api/1', null],
    ['api/{a=x}/{b}', '/api/1/2', { a: '1', b: '2' }],
  ]);

  it('are returned as plain objects, even for an awkward name', () => {
    const result = compileRoute('x/{__proto__}').match('/x/1');
    expect(Object.keys(result!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});

describe('catch-all parameters', () => {
  matches('capture the rest of the path, slashes included', [
    ['files/{*path}', '/files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['files/{**path}', '/files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['files/{*path}', '/files/a', { path: 'a' }],
  ]);

  matches('keep a trailing slash and decode the rest', [
    ['files/{*path}', '/files/a/b/', { path: 'a/b/' }],
    ['files/{*path}', '/files/a%20b/c%2Fd', { path: 'a b/c%2Fd' }],
  ]);

  matches('may be empty (absent from params)', [
    ['files/{*path}', '/files', {}],
    ['files/{*path}', '/files/', {}],
  ]);

  matches('use a default when empty', [
    ['files/{*path=index.html}', '/files', { path: 'index.html' }],
    ['files/{*path=index.html}', '/files/x/y', { path: 'x/y' }],
  ]);

  matches('match everything as the whole template', [
    ['{*all}', '/', {}],
    ['{*all}', '/a/b', { all: 'a/b' }],
  ]);

  matches('do not accept an empty segment before the catch-all, but do after it', [
    ['files/{*path}', '//files/a', null],
    ['files/{*path}', '/files/a//b', { path: 'a//b' }],
  ]);

  it('apply constraints to the captured rest', () => {
    const route = compileRoute('n/{*rest:regex(^[0-9/]+$)}');
    expect(route.match('/n/1/2/3')).toEqual({ rest: '1/2/3' });
    expect(route.match('/n/1/x')).toBeNull();
    expect(route.match('/n')).toBeNull();
  });
});

describe('complex segments', () => {
  matches('split a segment around literals', [
    ['files/{name}.{ext}', '/files/report.pdf', { name: 'report', ext: 'pdf' }],
    ['files/{name}.{ext}', '/files/archive.tar.gz', { name: 'archive.tar', ext: 'gz' }],
    ['files/{name}.{ext}', '/files/report', null],
    ['files/{name}.{ext}', '/files/.pdf', null],
    ['files/{name}.{ext}', '/files/report.', null],
  ]);

  matches('handle a literal prefix and suffix, case-insensitively', [
    ['api/v{version}', '/api/v2', { version: '2' }],
    ['api/v{version}', '/api/V2', { version: '2' }],
    ['api/v{version}', '/api/v', null],
    ['api/v{version}', '/api/x2', null],
    ['img/{id}-thumb.png', '/img/42-THUMB.png', { id: '42' }],
    ['img/{id}-thumb.png', '/img/42-thumb.jpg', null],
    ['img/{id}-thumb.png', '/img/-thumb.png', null],
  ]);

  matches('match several parameters in one segment', [
    ['date/{year}-{month}-{day}', '/date/2024-02-29', { year: '2024', month: '02', day: '29' }],
    ['{a}x{b}y{c}', '/1x2y3', { a: '1', b: '2', c: '3' }],
    ['{a}x{b}y{c}', '/1x2y', null],
  ]);

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
