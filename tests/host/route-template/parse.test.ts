import { describe, expect, it } from 'vitest';
import { compileRoute, RouteTable, RouteTemplateError } from '../../../shared/local-host/http/route-template/index';

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
    const refuse = () => compileRoute(template);
    expect(refuse).toThrow(RouteTemplateError);
    expect(refuse).toThrow(`'${template}'`);
    expect(refuse).toThrow(reason);
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
