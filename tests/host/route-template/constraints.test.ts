import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../../shared/local-host/http/route-template/index';
import { matches } from './matches';

const ok = (template: string, value: string) => compileRoute(`x/${template}`).match(`/x/${value}`) !== null;

/** One test per row: does the parameter (with its constraints) accept the value? */
const accepts = (rule: string, rows: [parameter: string, value: string, accepted: boolean][]) =>
  it.each(rows)(`${rule}: %s on %j gives %s`, (parameter, value, accepted) => {
    expect(ok(parameter, value)).toBe(accepted);
  });

describe('constraints', () => {
  accepts('int and long', [
    ['{id:int}', '42', true],
    ['{id:int}', '-42', true],
    ['{id:int}', '+7', true],
    ['{id:int}', 'abc', false],
    ['{id:int}', '4.2', false],
    ['{id:int}', '2147483647', true],
    ['{id:int}', '2147483648', false],
    ['{id:long}', '2147483648', true],
    ['{id:long}', '9223372036854775808', false],
    ['{id:int}', '%205', true], // .NET allows surrounding white space
  ]);

  accepts('bool, decimal, double, float', [
    ['{b:bool}', 'true', true],
    ['{b:bool}', 'FALSE', true],
    ['{b:bool}', '1', false],
    ['{d:decimal}', '1,234.50', true],
    ['{d:decimal}', '-.5', true],
    ['{d:decimal}', '1e5', false],
    ['{d:decimal}', '.', false],
    ['{d:double}', '1e5', true],
    ['{d:double}', '-1.5E-3', true],
    ['{d:double}', 'Infinity', true],
    ['{d:double}', 'abc', false],
    ['{f:float}', '3.14', true],
    ['{f:float}', '3.14.1', false],
  ]);

  accepts('guid and datetime', [
    ['{g:guid}', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['{g:guid}', '0f8fad5bd9cb469fa16570867728950e', true],
    ['{g:guid}', '%7B0f8fad5b-d9cb-469f-a165-70867728950e%7D', true],
    ['{g:guid}', '0f8fad5b-d9cb-469f-a165-70867728950', false],
    ['{d:datetime}', '2024-02-29', true],
    ['{d:datetime}', '2024-02-30', false],
    ['{d:datetime}', '2023-02-29', false],
    ['{d:datetime}', '2024-06-01T10:30:00Z', true],
    ['{d:datetime}', '2024-06-01%2010:30', true],
    ['{d:datetime}', 'yesterday', false],
  ]);

  accepts('alpha, required and lengths', [
    ['{s:alpha}', 'Shoes', true],
    ['{s:alpha}', 'shoes2', false],
    ['{s:alpha}', 'caf%C3%A9', false],
    ['{s:required}', 'x', true],
    ['{s:minlength(3)}', 'ab', false],
    ['{s:minlength(3)}', 'abc', true],
    ['{s:maxlength(3)}', 'abcd', false],
    ['{s:length(3)}', 'abc', true],
    ['{s:length(3)}', 'ab', false],
    ['{s:length(2,4)}', 'abcd', true],
    ['{s:length(2, 4)}', 'abcde', false],
  ]);

  accepts('min, max and range compare as 64-bit integers', [
    ['{n:min(18)}', '18', true],
    ['{n:min(18)}', '17', false],
    ['{n:min(18)}', 'abc', false],
    ['{n:max(10)}', '-5', true],
    ['{n:max(10)}', '11', false],
    ['{n:range(1,5)}', '5', true],
    ['{n:range(1,5)}', '0', false],
  ]);

  accepts('regex is case-insensitive and not anchored unless the pattern anchors it', [
    ['{s:regex(^[a-z]{{2}}\\d+$)}', 'AB12', true],
    ['{s:regex(^[a-z]{{2}}\\d+$)}', 'AB12x', false],
    ['{s:regex(\\d+)}', 'abc123def', true],
    ['{s:regex(\\d+)}', 'abc', false],
    ['{s:regex(^(get|create)$)}', 'Create', true],
    ['{t:regex(^\\d{{2}}:\\d{{2}}$)}', '10:30', true],
    ['{s:regex(\\Aab\\z)}', 'ab', true],
    ['{s:regex(\\Aab\\z)}', 'xab', false],
  ]);

  accepts('chain (all must pass) and accept names in any case', [
    ['{id:int:min(1):max(99)}', '50', true],
    ['{id:int:min(1):max(99)}', '0', false],
    ['{id:INT}', '5', true],
    ['{s:alpha:minlength(2)}', 'a', false],
  ]);

  it('apply to optional parameters only when present', () => {
    const route = compileRoute('products/{category:alpha}/{id:int?}');
    expect(route.match('/products/shoes')).toEqual({ category: 'shoes' });
    expect(route.match('/products/shoes/42')).toEqual({ category: 'shoes', id: '42' });
    expect(route.match('/products/shoes/abc')).toBeNull();
    expect(route.match('/products/123/42')).toBeNull();
  });

  matches('apply to defaults too', [
    ['p/{id:int=5}', '/p', { id: '5' }],
    ['p/{id:int=x}', '/p', null],
    ['p/{id:int=x}', '/p/3', { id: '3' }],
  ]);
});
